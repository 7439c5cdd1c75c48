using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Security;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Quotas over HTTP: set, read, enforced with a 429 that names them, deleted; and the admins' kill by filter.</summary>
[Collection(SiloCollection.Name)]
public sealed class QuotaApiTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task A_quota_of_two_instances_refuses_the_third_engine_naming_the_quota_and_its_engines_until_one_ends()
    {
        var set = (await _api.SetQuotaAsync("q1-ETL", new { instances = 2 })).Expect(HttpStatusCode.OK);
        Assert.Equal("Api", set.GetProperty("all").GetProperty("source").GetString());
        Assert.Equal(2, set.GetProperty("all").GetProperty("max").GetProperty("instances").GetInt64());

        var first = await _api.AskReadyAsync("q1-ETL", reuse: false);
        var second = await _api.AskReadyAsync("q1-ETL", "python-python3", reuse: false);
        var refused = (await _api.AskAsync("q1-ETL", reuse: false)).ExpectProblem(HttpStatusCode.TooManyRequests);

        var quota = refused.GetProperty("quota");
        Assert.Equal("q1-ETL", quota.GetProperty("userCreator").GetString());
        Assert.False(quota.TryGetProperty("engineType", out _), $"The quota of all engine types names none: {quota}");
        Assert.Equal("Api", quota.GetProperty("source").GetString());
        Assert.Equal([first.EngineId, second.EngineId], quota.GetProperty("engines").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(2, quota.GetProperty("used").GetProperty("instances").GetInt64());
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("the quota of q1-ETL is full", detail);
        Assert.Contains(first.EngineId, detail);

        var read = (await _api.GetQuotaAsync("q1-ETL")).Expect(HttpStatusCode.OK);
        Assert.Equal([first.EngineId, second.EngineId], read.GetProperty("all").GetProperty("engines").EnumerateArray().Select(e => e.GetString()));

        (await _api.KillAsync(first.EngineId)).Expect(HttpStatusCode.OK);
        await _api.AskReadyAsync("q1-ETL", reuse: false);
    }

    [Fact]
    public async Task A_quota_of_one_engine_type_is_shown_and_deleting_it_brings_the_default_back()
    {
        var set = (await _api.SetQuotaAsync("q2-IDE", new { engineType = "python-python3", memory = "1g" })).Expect(HttpStatusCode.OK);
        var python = Assert.Single(set.GetProperty("engineTypes").EnumerateArray());
        Assert.Equal("python-python3", python.GetProperty("engineType").GetString());
        Assert.Equal(1L << 30, python.GetProperty("max").GetProperty("memory").GetInt64());
        Assert.Equal("Default", set.GetProperty("all").GetProperty("source").GetString());

        var refused = (await _api.AskAsync("q2-IDE", "python-python3", properties: new() { ["memory"] = "2g" })).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal("python-python3", refused.GetProperty("quota").GetProperty("engineType").GetString());
        Assert.Contains("memory: needs 2g, 1g left", refused.GetProperty("detail").GetString());

        var cleared = (await _api.DeleteAsync("/api/v1/quotas/q2-IDE?engineType=python-python3")).Expect(HttpStatusCode.OK);
        Assert.Empty(cleared.GetProperty("engineTypes").EnumerateArray());
        Assert.Contains("q2-IDE", (await _api.GetAsync("/api/v1/quotas")).Expect(HttpStatusCode.OK).EnumerateArray().Select(q => q.GetProperty("userCreator").GetString()));
    }

    [Fact]
    public async Task A_quota_that_is_not_valid_is_refused_with_every_reason()
    {
        var problem = (await _api.SetQuotaAsync("q3-IDE", new { engineType = "spark-3" })).ExpectProblem(HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("body", fields);
        Assert.Contains("engineType", fields);

        var badSize = (await _api.SetQuotaAsync("q3-IDE", new { memory = "lots" })).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(badSize.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "memory");

        var badName = (await _api.SetQuotaAsync("Not-A-User-IDE", new { instances = 1 })).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Equal("userCreator", badName.GetProperty("errors")[0].GetProperty("field").GetString());
        (await _api.GetQuotaAsync("nocreator")).ExpectProblem(HttpStatusCode.BadRequest);

        // Nothing was saved by the refusals.
        var quota = (await _api.GetQuotaAsync("q3-IDE")).Expect(HttpStatusCode.OK);
        Assert.Equal("Default", quota.GetProperty("all").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Admins_list_engines_idle_for_a_while_and_kill_engines_by_filter()
    {
        var idle = await _api.AskReadyAsync("kf-IDE", reuse: false);
        var other = await _api.AskReadyAsync("kf-ETL", reuse: false);

        var idleNow = (await _api.GetAsync("/api/v1/engines?user=kf&idleFor=0s")).Expect(HttpStatusCode.OK).EnumerateArray().Select(e => e.GetProperty("engineId").GetString()).ToList();
        Assert.Contains(idle.EngineId, idleNow);
        Assert.Empty((await _api.GetAsync("/api/v1/engines?user=kf&idleFor=1h")).Expect(HttpStatusCode.OK).EnumerateArray());
        var byCreator = (await _api.GetAsync("/api/v1/engines?user=kf&creator=ETL")).Expect(HttpStatusCode.OK).EnumerateArray().Select(e => e.GetProperty("engineId").GetString()).ToList();
        Assert.Equal([other.EngineId], byCreator);
        (await _api.GetAsync("/api/v1/engines?idleFor=soon")).ExpectProblem(HttpStatusCode.BadRequest);

        (await _api.PostAsync("/api/v1/engines/kill", new { })).ExpectProblem(HttpStatusCode.BadRequest);
        (await _api.PostAsync("/api/v1/engines/kill", new { status = "Busy", idleFor = "1m" })).ExpectProblem(HttpStatusCode.BadRequest);

        var killed = (await _api.PostAsync("/api/v1/engines/kill", new { user = "kf", creator = "IDE" })).Expect(HttpStatusCode.OK);
        var ended = Assert.Single(killed.EnumerateArray());
        Assert.Equal(idle.EngineId, ended.GetProperty("engineId").GetString());
        Assert.Equal("Success", ended.GetProperty("status").GetString());
        Assert.Equal("KilledByRequest", ended.GetProperty("endReason").GetProperty("kind").GetString());
        await EngineChecks.WaitProcessGroupGoneAsync(idle.Pid!.Value, EngineChecks.CleanupDeadline);
        Assert.Equal("Idle", (await _api.GetEngineAsync(other.EngineId))!.Status);
        await SiloOutput.ContainsAsync(fixture.Silo, $"killed {idle.EngineId}, outcome 200");
    }
}
