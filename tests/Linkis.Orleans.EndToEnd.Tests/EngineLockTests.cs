using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Leases over HTTP: an ask with "lock" keeps the engine from other asks until DELETE …/lock.</summary>
[Collection(SiloCollection.Name)]
public sealed class EngineLockTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task A_locked_engine_is_kept_from_other_asks_until_it_is_unlocked()
    {
        var body = new { labels = new { userCreator = "t30-IDE", engineType = "shell-1" }, @lock = true };
        var leased = new Engine((await _api.PostAsync("/api/v1/engines", body)).Expect(HttpStatusCode.OK));
        _api.Created.Add(leased.EngineId);
        Assert.True(leased.Json.GetProperty("locked").GetBoolean());
        Assert.Equal("t30", leased.Json.GetProperty("lockedBy").GetString());

        var other = await _api.AskReadyAsync("t30-IDE");
        Assert.NotEqual(leased.EngineId, other.EngineId);
        await _api.ExecuteOkAsync(leased.EngineId, "echo the lease holder still runs code");

        var unlocked = (await _api.DeleteAsync($"/api/v1/engines/{leased.EngineId}/lock")).Expect(HttpStatusCode.OK);
        Assert.False(unlocked.GetProperty("locked").GetBoolean());
        (await _api.DeleteAsync("/api/v1/engines/nosuchengine/lock")).ExpectProblem(HttpStatusCode.NotFound);

        // Both engines are idle and unlocked now: an ask is handed one of them.
        var reused = (await _api.AskAsync("t30-IDE")).Expect(HttpStatusCode.OK);
        Assert.True(reused.GetProperty("reused").GetBoolean());
        Assert.Contains(reused.GetProperty("engineId").GetString(), new[] { leased.EngineId, other.EngineId });
    }
}
