using System.Diagnostics;
using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>An ask with <c>queue</c> that finds its quota full waits in its user-creator's queue over HTTP, and gets room as it appears.</summary>
[Collection(SiloCollection.Name)]
public sealed class AskQueueTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    private static Dictionary<string, object> QueuedAsk(string userCreator, int timeoutSeconds)
    {
        var body = (Dictionary<string, object>)LinkisApi.AskBody(userCreator, reuse: false, timeoutSeconds: timeoutSeconds);
        body["queue"] = true;
        return body;
    }

    [Fact]
    public async Task With_a_quota_of_one_a_queued_second_ask_waits_in_the_queue_and_gets_an_engine_once_the_first_is_killed()
    {
        (await _api.SetQuotaAsync("qq-ETL", new { instances = 1 })).Expect(HttpStatusCode.OK);
        var first = await _api.AskReadyAsync("qq-ETL", reuse: false);

        var waiting = _api.PostAsync("/api/v1/engines", QueuedAsk("qq-ETL", 60));
        var queued = await Eventually.Until(
            async () => (await _api.GetAsync("/api/v1/engines/queue")).Expect(HttpStatusCode.OK).EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("userCreator").GetString() == "qq-ETL" && a.GetProperty("state").GetString() == "Waiting"),
            a => a.ValueKind == System.Text.Json.JsonValueKind.Object, "the second ask to wait in the queue of qq-ETL");
        Assert.Equal(1, queued.GetProperty("position").GetInt32());
        Assert.Equal("shell-1", queued.GetProperty("engineType").GetString());
        Assert.Contains("quota of qq-ETL is full", queued.GetProperty("waitingFor").GetString());
        Assert.False(waiting.IsCompleted);

        (await _api.KillAsync(first.EngineId)).Expect(HttpStatusCode.OK);
        var killed = Stopwatch.StartNew();
        var second = new Engine((await waiting).Expect(HttpStatusCode.OK));
        var afterKill = killed.Elapsed;
        _api.Created.Add(second.EngineId);
        Assert.NotEqual(first.EngineId, second.EngineId);
        Assert.Equal("Idle", second.Status);
        Assert.True(afterKill < TimeSpan.FromSeconds(1), $"The waiting ask should get its engine within a second of the kill, not {afterKill.TotalMilliseconds:0} ms");
        Assert.DoesNotContain((await _api.GetAsync("/api/v1/engines/queue")).Expect(HttpStatusCode.OK).EnumerateArray(),
            a => a.GetProperty("userCreator").GetString() == "qq-ETL");
    }

    [Fact]
    public async Task A_queued_ask_that_gets_no_room_before_its_timeout_is_answered_429_saying_how_long_it_waited()
    {
        (await _api.SetQuotaAsync("qt-ETL", new { instances = 1 })).Expect(HttpStatusCode.OK);
        await _api.AskReadyAsync("qt-ETL", reuse: false);

        var problem = (await _api.PostAsync("/api/v1/engines", QueuedAsk("qt-ETL", 2))).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.True(problem.GetProperty("waitedSeconds").GetDouble() >= 1.9, $"It waited its whole timeout: {problem}");
        Assert.Contains("waited", problem.GetProperty("detail").GetString());
        Assert.Equal("qt-ETL", problem.GetProperty("quota").GetProperty("userCreator").GetString());
    }
}
