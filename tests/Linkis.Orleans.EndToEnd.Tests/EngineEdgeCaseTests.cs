using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>What a client meets at the edges: repeated kills, ended engines, busy engines, explicit resources.</summary>
[Collection(SiloCollection.Name)]
public sealed class EngineEdgeCaseTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task Delete_Twice_AnswersTheEndedEngineBothTimes()
    {
        var engine = await _api.AskReadyAsync("t13-IDE");
        var first = new Engine((await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK));
        var second = new Engine((await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK));

        Assert.Equal("Success", second.Status);
        Assert.Equal("KilledByRequest", second.EndKind);
        Assert.Equal(first.Json.GetProperty("endedAt").GetString(), second.Json.GetProperty("endedAt").GetString());
        await EngineChecks.AssertReleasedAsync(_api, "t13-IDE", engine.EngineId);
    }

    [Fact]
    public async Task An_engine_whose_executor_does_not_stop_for_a_timed_out_execution_loses_its_state_steps_aside_and_ends_unhealthy_when_idle()
    {
        var engine = await _api.AskReadyAsync("unh-IDE", properties: new() { ["idleTimeout"] = "3s" });
        await _api.ExecuteOkAsync(engine.EngineId, "X=kept");

        // A builtin loop with SIGINT ignored: no interrupt stops it, so after the cancel grace its executor is restarted.
        var stuck = await _api.ExecuteOkAsync(engine.EngineId, "trap '' INT; while :; do :; done", timeoutSeconds: 1);
        Assert.True(stuck.TimedOut);
        Assert.Equal(124, stuck.ExitCode);

        var after = (await _api.GetEngineAsync(engine.EngineId))!;
        Assert.Equal("Idle", after.Status);
        Assert.True(after.Json.GetProperty("stateLost").GetBoolean(), $"the engine says its state is gone: {after}");
        Assert.Equal("gone\n", (await _api.ExecuteOkAsync(engine.EngineId, "echo ${X-gone}")).Stdout);
        var next = await _api.AskReadyAsync("unh-IDE");
        Assert.NotEqual(engine.EngineId, next.EngineId);

        var ended = await Eventually.Until(async () => (await _api.GetEngineAsync(engine.EngineId))!, e => e.Status is "Failed" or "Success",
            "the engine that lost its state to end once idle", TimeSpan.FromSeconds(30));
        Assert.Equal("Unhealthy", ended.EndKind);
        Assert.Contains("session state", ended.EndReason!.Value.GetProperty("message").GetString());
        (await _api.KillAsync(next.EngineId)).Expect(HttpStatusCode.OK);
        await EngineChecks.AssertReleasedAsync(_api, "unh-IDE", engine.EngineId);
    }

    [Fact]
    public async Task Execute_OnAnEndedEngine_Is409_AndItsLogIsStillReadable()
    {
        var engine = await _api.AskReadyAsync("t14-IDE");
        await _api.ExecuteOkAsync(engine.EngineId, "echo before-the-end");
        (await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);

        var problem = (await _api.ExecuteAsync(engine.EngineId, "echo hi")).ExpectProblem(HttpStatusCode.Conflict);
        Assert.Contains(engine.EngineId, problem.GetProperty("detail").GetString());

        var log = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stderr")).Expect(HttpStatusCode.OK);
        Assert.True(log.GetProperty("lines").GetArrayLength() > 0, $"An ended engine's log is still there: {log}");
    }

    [Fact]
    public async Task Execute_WhileBusy_RunsAfterTheRunningExecution_NeverInterleaved()
    {
        var engine = await _api.AskReadyAsync("t15-IDE");
        var slow = _api.ExecuteOkAsync(engine.EngineId, "sleep 1; X=first; echo slow-done", timeoutSeconds: 10);
        await Eventually.Until(() => _api.GetEngineAsync(engine.EngineId), e => e?.Status == "Busy", $"engine {engine.EngineId} to be Busy",
            TimeSpan.FromSeconds(2));

        // The API may refuse a second execution (409) or queue it; it must never run it inside the first one.
        var second = await _api.ExecuteAsync(engine.EngineId, "echo second:$X", timeoutSeconds: 10);
        if (second.Status != HttpStatusCode.Conflict)
        {
            var json = second.Expect(HttpStatusCode.OK);
            // It saw what the first one set, so it ran after it; which of the two HTTP answers reaches the test first
            // is the network's business, not the engine's.
            Assert.True(json.GetProperty("stdout").GetString() == "second:first\n", $"A queued execution runs after the running one: {second}");
        }

        var done = await slow;
        Assert.Equal("slow-done\n", done.Stdout);
        Assert.Equal("Idle", (await _api.GetEngineAsync(engine.EngineId))!.Status);
    }

    [Fact]
    public async Task Delete_WhileBusy_StopsTheExecution_AndEndsTheEngine()
    {
        var engine = await _api.AskReadyAsync("t18-IDE");
        var pid = engine.Pid!.Value;
        var slow = _api.ExecuteAsync(engine.EngineId, "sleep 60", timeoutSeconds: 120);
        await Eventually.Until(() => _api.GetEngineAsync(engine.EngineId), e => e?.Status == "Busy", $"engine {engine.EngineId} to be Busy",
            TimeSpan.FromSeconds(2));

        var killed = new Engine((await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK));
        Assert.Equal("Success", killed.Status);
        Assert.Equal("KilledByRequest", killed.EndKind);

        // The running execution ends with its engine, long before its sleep would.
        await slow.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True((await slow).Status != HttpStatusCode.OK || !(await slow).Json.GetProperty("timedOut").GetBoolean(), $"Killed, not timed out: {await slow}");
        await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
        await EngineChecks.AssertReleasedAsync(_api, "t18-IDE", engine.EngineId);
    }

    [Fact]
    public async Task KillDash9_WhileBusy_FailsTheEngineWithinTwoSeconds_AndTheExecutionReturns()
    {
        var engine = await _api.AskReadyAsync("t19-IDE");
        var pid = engine.Pid!.Value;
        var slow = _api.ExecuteAsync(engine.EngineId, "sleep 60", timeoutSeconds: 120);
        await Eventually.Until(() => _api.GetEngineAsync(engine.EngineId), e => e?.Status == "Busy", $"engine {engine.EngineId} to be Busy",
            TimeSpan.FromSeconds(2));

        ProcessTable.Kill(pid, 9);

        var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(2), $"busy engine {engine.EngineId} to fail after kill -9 of pid {pid}");
        Assert.Equal("Failed", ended.Status);
        Assert.True(ended.EndKind == "ProcessExited" && ended.EndSignal == 9, $"End reason should be ProcessExited by signal 9: {ended}");
        var finished = await Task.WhenAny(slow, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.True(finished == slow, "The execution should return once its engine died");
        await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
        await EngineChecks.WaitReleasedAsync(_api, "t19-IDE", engine.EngineId);
    }

    [Fact]
    public async Task SigStop_WhileBusy_FailsTheEngineOnMissedPings_AndTheExecutionReturns()
    {
        var engine = await _api.AskReadyAsync("t20-IDE");
        var pid = engine.Pid!.Value;
        var slow = _api.ExecuteAsync(engine.EngineId, "sleep 60", timeoutSeconds: 120);
        await Eventually.Until(() => _api.GetEngineAsync(engine.EngineId), e => e?.Status == "Busy", $"engine {engine.EngineId} to be Busy",
            TimeSpan.FromSeconds(2));

        ProcessTable.Kill(pid, 19);
        try
        {
            var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(10), $"busy engine {engine.EngineId} to fail after SIGSTOP of pid {pid}");
            Assert.Equal("Failed", ended.Status);
            Assert.True(ended.EndKind == "MissedPings", $"End reason should be MissedPings: {ended}");
            var finished = await Task.WhenAny(slow, Task.Delay(TimeSpan.FromSeconds(5)));
            Assert.True(finished == slow, "The execution should return once its engine was declared dead");
            await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
            await EngineChecks.WaitReleasedAsync(_api, "t20-IDE", engine.EngineId);
        }
        finally
        {
            if (ProcessTable.Exists(pid))
            {
                ProcessTable.Kill(pid, 18);
            }
        }
    }

    [Fact]
    public async Task Ask_WithExplicitResourcesAndIdleTimeout_BooksExactlyThat()
    {
        var engine = await _api.AskReadyAsync("t16-IDE", properties: new() { ["memory"] = "256m", ["cores"] = 1, ["idleTimeout"] = 120 });
        var resources = engine.Json.GetProperty("resources");
        Assert.Equal(256L * 1024 * 1024, resources.GetProperty("memory").GetInt64());
        Assert.Equal(1m, resources.GetProperty("cores").GetDecimal());
        Assert.Equal(1L, resources.GetProperty("instances").GetInt64());
        Assert.Equal(120.0, engine.Json.GetProperty("idleTimeoutSeconds").GetDouble());

        var ledger = await _api.LedgerAsync(LinkisApi.UserLedgerKey("t16-IDE"));
        Assert.NotNull(ledger);
        Assert.Equal(256L * 1024 * 1024, ledger.Used.GetProperty("memory").GetInt64());
        Assert.Equal(1m, ledger.Used.GetProperty("cores").GetDecimal());
        Assert.True(Ledger.IsZero(ledger.Locked), $"A ready engine's resources are used, not locked: {ledger}");
    }

    [Fact]
    public async Task ListEngines_FiltersByUserAndStatus()
    {
        var engine = await _api.AskReadyAsync("t17-IDE");
        var mine = await _api.ListEnginesAsync("t17");
        Assert.Contains(mine, e => e.EngineId == engine.EngineId);
        Assert.All(mine, e => Assert.Equal("t17-IDE", e.Json.GetProperty("userCreator").GetString()));

        var idle = (await _api.GetAsync("/api/v1/engines?user=t17&status=Idle")).Expect(HttpStatusCode.OK);
        Assert.Contains(idle.EnumerateArray(), e => e.GetProperty("engineId").GetString() == engine.EngineId);
        var failed = (await _api.GetAsync("/api/v1/engines?user=t17&status=Failed")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(failed.EnumerateArray(), e => e.GetProperty("engineId").GetString() == engine.EngineId);
    }
}
