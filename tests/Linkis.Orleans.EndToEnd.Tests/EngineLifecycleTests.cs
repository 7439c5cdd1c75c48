using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Engines from ask to end against a real silo: start, execute, reuse, kill, crash, hang, idle timeout.</summary>
[Collection(SiloCollection.Name)]
public sealed class EngineLifecycleTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task Ask_ForANewUserCreator_StartsAnIdleShellThatKeepsStateBetweenExecutions()
    {
        var response = await _api.AskAsync("t1-IDE");
        var json = response.Expect(HttpStatusCode.OK);
        var engine = new Engine(json);
        _api.Created.Add(engine.EngineId);

        Assert.Equal("Idle", engine.Status);
        Assert.False(engine.Reused, $"A first ask cannot reuse anything: {json}");
        Assert.Equal(SiloFixture.NodeName, json.GetProperty("node").GetString());
        Assert.True(engine.Pid > 0, $"The engine should report its pid: {json}");
        Assert.False(string.IsNullOrEmpty(engine.EngineId));
        EngineChecks.AssertProcessAlive(engine.Pid!.Value);
        var resources = json.GetProperty("resources");
        Assert.True(resources.GetProperty("instances").GetInt64() == 1 && resources.GetProperty("memory").GetInt64() > 0 && resources.GetProperty("cores").GetDecimal() > 0,
            $"An engine books one instance, some memory and some cores: {json}");
        Assert.True(json.TryGetProperty("readyAt", out var readyAt) && readyAt.ValueKind == System.Text.Json.JsonValueKind.String, $"A ready engine has readyAt: {json}");
        await EngineChecks.AssertBookedAsync(_api, "t1-IDE", engine.EngineId);

        var hello = await _api.ExecuteOkAsync(engine.EngineId, "echo hello");
        Assert.Equal(new ExecuteResult(0, "hello\n", "", false, false), hello);

        var assign = await _api.ExecuteOkAsync(engine.EngineId, "X=42");
        Assert.Equal(0, assign.ExitCode);
        var read = await _api.ExecuteOkAsync(engine.EngineId, "echo $X");
        Assert.Equal("42\n", read.Stdout);
        Assert.Equal(0, read.ExitCode);

        var after = await _api.GetEngineAsync(engine.EngineId);
        Assert.True(after!.Json.GetProperty("executionCount").GetInt64() >= 3, $"Three executions ran: {after}");
    }

    [Fact]
    public async Task Ask_AgainWhileIdle_ReusesTheEngine_AndReuseFalseStartsAnother()
    {
        var first = await _api.AskReadyAsync("t2-IDE");
        var second = await _api.AskReadyAsync("t2-IDE");
        Assert.Equal(first.EngineId, second.EngineId);
        Assert.True(second.Reused, $"The second ask should say it reused the engine: {second}");
        Assert.Equal(first.Pid, second.Pid);

        var fresh = await _api.AskReadyAsync("t2-IDE", reuse: false);
        Assert.NotEqual(first.EngineId, fresh.EngineId);
        Assert.False(fresh.Reused, $"reuse=false must start a new engine: {fresh}");
        Assert.NotEqual(first.Pid, fresh.Pid);
        EngineChecks.AssertProcessAlive(fresh.Pid!.Value);
    }

    [Fact]
    public async Task Delete_EndsTheEngine_KillsItsWholeProcessGroup_AndReleasesItsResources()
    {
        var engine = await _api.AskReadyAsync("t3-IDE");
        var pid = engine.Pid!.Value;
        await EngineChecks.AssertBookedAsync(_api, engine.Json.GetProperty("userCreator").GetString()!, engine.EngineId);
        // Give the group a grandchild too, in the background, so the kill must reach more than the host and bash.
        var background = await _api.ExecuteOkAsync(engine.EngineId, "sleep 300 >/dev/null 2>&1 & echo started");
        Assert.Equal("started\n", background.Stdout);
        Assert.True(ProcessTable.LiveInGroup(pid).Count >= 3, $"host, executor and sleep should share group {pid}: {string.Join("; ", ProcessTable.LiveInGroup(pid))}");

        var killed = new Engine((await _api.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK));

        Assert.Equal("Success", killed.Status);
        Assert.Equal("KilledByRequest", killed.EndKind);
        // DELETE answers once the process is gone: no waiting for the host itself.
        Assert.False(ProcessTable.Exists(pid), $"DELETE answered but the host pid {pid} is still there: {ProcessTable.Read(pid)}");
        await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
        // ... and once its resources are released.
        await EngineChecks.AssertReleasedAsync(_api, "t3-IDE", engine.EngineId);

        var again = await _api.GetEngineAsync(engine.EngineId);
        Assert.Equal("Success", again!.Status);
    }

    [Fact]
    public async Task KillDash9_OfTheHost_FailsTheEngineWithinTwoSeconds_AndCleansUp()
    {
        var engine = await _api.AskReadyAsync("t4-IDE");
        var pid = engine.Pid!.Value;
        await EngineChecks.AssertBookedAsync(_api, engine.Json.GetProperty("userCreator").GetString()!, engine.EngineId);
        var executors = ProcessTable.LiveInGroup(pid).Where(p => p.Pid != pid).ToList();
        Assert.True(executors.Count >= 1, $"The executor (bash) should run in group {pid}: {string.Join("; ", ProcessTable.LiveInGroup(pid))}");

        ProcessTable.Kill(pid, 9);

        var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(2), $"engine {engine.EngineId} to fail after kill -9 of pid {pid}");
        Assert.Equal("Failed", ended.Status);
        Assert.True(ended.EndKind == "ProcessExited", $"End reason should be ProcessExited: {ended}");
        Assert.True(ended.EndSignal == 9, $"End reason should carry signal 9: {ended}");

        await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
        foreach (var executor in executors)
        {
            Assert.False(ProcessTable.Read(executor.Pid) is { State: not 'Z' }, $"The executor survived its host: {ProcessTable.Read(executor.Pid)}");
        }

        await EngineChecks.WaitReleasedAsync(_api, "t4-IDE", engine.EngineId);
    }

    [Fact]
    public async Task SigStop_OfTheHost_FailsTheEngineOnMissedPings_AndCleansUp()
    {
        var engine = await _api.AskReadyAsync("t5-IDE");
        var pid = engine.Pid!.Value;
        await EngineChecks.AssertBookedAsync(_api, engine.Json.GetProperty("userCreator").GetString()!, engine.EngineId);

        ProcessTable.Kill(pid, 19); // SIGSTOP: alive, but answers no ping
        try
        {
            var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(10), $"engine {engine.EngineId} to fail after SIGSTOP of pid {pid}");
            Assert.Equal("Failed", ended.Status);
            Assert.True(ended.EndKind == "MissedPings", $"End reason should be MissedPings: {ended}");

            await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
            await EngineChecks.WaitReleasedAsync(_api, "t5-IDE", engine.EngineId);
        }
        finally
        {
            if (ProcessTable.Exists(pid))
            {
                ProcessTable.Kill(pid, 18); // SIGCONT, so a failed test does not leave a stopped process behind
            }
        }
    }

    [Fact]
    public async Task IdleTimeout_EndsAnUnusedEngine_AndCleansUp()
    {
        var engine = await _api.AskReadyAsync("t6-IDE", properties: new() { ["idleTimeout"] = "2s" });
        var pid = engine.Pid!.Value;
        await EngineChecks.AssertBookedAsync(_api, engine.Json.GetProperty("userCreator").GetString()!, engine.EngineId);
        Assert.Equal(2.0, engine.Json.GetProperty("idleTimeoutSeconds").GetDouble());

        var ended = await EngineChecks.WaitEndedAsync(_api, engine.EngineId, TimeSpan.FromSeconds(10), $"engine {engine.EngineId} to end after 2 s idle");
        Assert.Equal("Success", ended.Status);
        Assert.True(ended.EndKind == "IdleTimeout", $"End reason should be IdleTimeout: {ended}");

        await EngineChecks.WaitProcessGroupGoneAsync(pid, EngineChecks.CleanupDeadline);
        await EngineChecks.WaitReleasedAsync(_api, "t6-IDE", engine.EngineId);
    }

    [Fact]
    public async Task Python_KeepsStateBetweenExecutions_AndReportsExceptions()
    {
        var engine = await _api.AskReadyAsync("t7-IDE", "python-python3");

        var assign = await _api.ExecuteOkAsync(engine.EngineId, "x = 41");
        Assert.Equal(0, assign.ExitCode);
        var read = await _api.ExecuteOkAsync(engine.EngineId, "print(x + 1)");
        Assert.Equal("42\n", read.Stdout);
        Assert.Equal(0, read.ExitCode);

        var error = await _api.ExecuteOkAsync(engine.EngineId, "1/0");
        Assert.Equal(1, error.ExitCode);
        Assert.Contains("ZeroDivisionError", error.Stderr);

        var still = await _api.ExecuteOkAsync(engine.EngineId, "print('alive', x)");
        Assert.Equal("alive 41\n", still.Stdout);
    }

    [Fact]
    public async Task Execute_PastItsTimeout_IsStoppedWithExitCode124_AndTheEngineStaysUsable()
    {
        var engine = await _api.AskReadyAsync("t10-IDE");

        var slow = await _api.ExecuteOkAsync(engine.EngineId, "sleep 30", timeoutSeconds: 1);
        Assert.True(slow.TimedOut, $"sleep 30 with a 1 s timeout should time out: {slow}");
        Assert.Equal(124, slow.ExitCode);

        var ok = await _api.ExecuteOkAsync(engine.EngineId, "echo ok");
        Assert.Equal(new ExecuteResult(0, "ok\n", "", false, false), ok);
        var status = await _api.GetEngineAsync(engine.EngineId);
        Assert.Equal("Idle", status!.Status);
    }

    [Fact]
    public async Task Log_ReturnsTheEnginesStreams_AndRejectsAnUnknownStream()
    {
        var engine = await _api.AskReadyAsync("t11-IDE");
        await _api.ExecuteOkAsync(engine.EngineId, "echo to-the-log");

        var stderr = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stderr&tail=200")).Expect(HttpStatusCode.OK);
        Assert.Equal(engine.EngineId, stderr.GetProperty("engineId").GetString());
        Assert.Equal("stderr", stderr.GetProperty("stream").GetString());
        var lines = stderr.GetProperty("lines").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.True(lines.Count > 0, $"The host logs to stderr, so its log cannot be empty: {stderr}");
        Assert.Contains(lines, l => l.Contains(engine.EngineId, StringComparison.Ordinal));

        var tail1 = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stderr&tail=1")).Expect(HttpStatusCode.OK);
        Assert.True(tail1.GetProperty("lines").GetArrayLength() <= 1, $"tail=1 returns at most one line: {tail1}");

        var stdout = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=stdout")).Expect(HttpStatusCode.OK);
        Assert.Equal("stdout", stdout.GetProperty("stream").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, stdout.GetProperty("lines").ValueKind);

        var bad = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/log?stream=foo")).ExpectProblem(HttpStatusCode.BadRequest);
        Assert.Contains(bad.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "stream");
    }
}
