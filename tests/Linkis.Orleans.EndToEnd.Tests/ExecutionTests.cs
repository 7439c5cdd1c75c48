using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Executions over HTTP on a real silo and real engines: submit, follow live, resume, cancel, queue, poll.</summary>
[Collection(SiloCollection.Name)]
public sealed class ExecutionTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    [Fact]
    public async Task A_submit_answers_at_once_and_the_execution_is_listed_and_ends_Succeeded()
    {
        var engine = await _api.AskReadyAsync("ex1-IDE");

        var submitted = await _api.SubmitAsync(engine.EngineId, "sleep 1; echo done");
        var id = submitted.GetProperty("executionId").GetString()!;
        Assert.StartsWith(engine.EngineId + "-", id);
        Assert.Contains(submitted.GetProperty("status").GetString(), new[] { "Queued", "Running" });

        var ended = await _api.WaitEndedAsync(id);
        Assert.Equal("Succeeded", ended.GetProperty("status").GetString());
        Assert.Equal(0, ended.GetProperty("exitCode").GetInt32());
        Assert.Equal(5, ended.GetProperty("stdoutBytes").GetInt64());
        Assert.True(ended.GetProperty("endedAt").GetDateTimeOffset() >= ended.GetProperty("startedAt").GetDateTimeOffset());
        var listed = (await _api.GetAsync($"/api/v1/engines/{engine.EngineId}/executions")).Expect(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("executionId").GetString() == id);

        var polled = await _api.GetAsync($"/api/v1/executions/{id}/output?stream=stdout&offset=2");
        Assert.Equal(HttpStatusCode.OK, polled.Status);
        Assert.Equal("ne\n", polled.Body);
    }

    [Fact]
    public async Task A_follower_sees_each_line_as_it_is_printed_and_a_resumed_one_neither_loses_nor_repeats_a_byte()
    {
        var engine = await _api.AskReadyAsync("ex2-IDE");
        var id = (await _api.SubmitAsync(engine.EngineId, "for i in 1 2 3; do echo $i; sleep 1; done")).GetProperty("executionId").GetString()!;

        var live = await fixture.Silo.FollowAsync(id);
        var result = live.Single(e => e.Type == "result");
        var first = live.First(e => e.Type == "output" && e.Text.Contains('1'));
        Assert.True(result.At - first.At >= TimeSpan.FromSeconds(1.5), $"'1' came at {first.At}, the result at {result.At}: not live");
        Assert.Equal("1\n2\n3\n", live.Stdout());
        Assert.Equal("Succeeded", result.Data.GetProperty("status").GetString());

        // A follower that drops after "2", while the code still runs, resumes from the last event id it saw.
        var again = (await _api.SubmitAsync(engine.EngineId, "for i in 1 2 3; do echo $i; sleep 1; done")).GetProperty("executionId").GetString()!;
        var dropped = await fixture.Silo.FollowAsync(again, stopAfter: e => e.Type == "output" && e.Text.Contains('2'));
        Assert.Equal("1\n2\n", dropped.Stdout());
        var resumed = await fixture.Silo.FollowAsync(again, lastEventId: dropped.Last().Id);
        Assert.Equal("3\n", resumed.Stdout());
        Assert.Equal("result", resumed.Last().Type);
    }

    [Fact]
    public async Task A_cancelled_sleep_ends_Cancelled_at_once_and_the_engine_keeps_its_state()
    {
        var engine = await _api.AskReadyAsync("ex3-IDE");
        await _api.ExecuteOkAsync(engine.EngineId, "X=kept");
        var id = (await _api.SubmitAsync(engine.EngineId, "sleep 100")).GetProperty("executionId").GetString()!;
        await Eventually.Until(() => _api.GetExecutionAsync(id), e => e.GetProperty("status").GetString() == "Running", "the sleep to run");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var cancelled = await _api.CancelAsync(id);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the cancel took {clock.Elapsed}");
        Assert.False(cancelled.GetProperty("stateLost").GetBoolean());
        Assert.False(string.IsNullOrEmpty(cancelled.GetProperty("cancelledBy").GetString()));

        await Eventually.Until(() => _api.GetEngineAsync(engine.EngineId), e => e?.Status == "Idle", "the engine to be Idle again");
        Assert.Equal("kept\n", (await _api.ExecuteOkAsync(engine.EngineId, "echo $X")).Stdout);
        (await _api.PostAsync($"/api/v1/executions/{id}/cancel", new { })).ExpectProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Python_in_a_busy_loop_is_cancelled_with_KeyboardInterrupt_and_keeps_its_globals()
    {
        var engine = await _api.AskReadyAsync("ex4-IDE", "python-python3");
        await _api.ExecuteOkAsync(engine.EngineId, "kept = 42");
        var id = (await _api.SubmitAsync(engine.EngineId, "print('spinning', flush=True)\nwhile True:\n    pass")).GetProperty("executionId").GetString()!;
        await _api.WaitPrintedAsync(id, "spinning");

        var cancelled = await _api.CancelAsync(id);

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        var stderr = await _api.GetAsync($"/api/v1/executions/{id}/output?stream=stderr");
        Assert.Contains("KeyboardInterrupt", stderr.Body);
        Assert.Equal("42\n", (await _api.ExecuteOkAsync(engine.EngineId, "print(kept)")).Stdout);
    }

    [Fact]
    public async Task Code_that_ignores_the_interrupt_is_stopped_by_a_restart_that_loses_the_state_and_the_engine_steps_aside()
    {
        var engine = await _api.AskReadyAsync("ex5-IDE");
        await _api.ExecuteOkAsync(engine.EngineId, "X=kept");
        var id = (await _api.SubmitAsync(engine.EngineId, "trap '' INT; echo deaf; sleep 100")).GetProperty("executionId").GetString()!;
        await _api.WaitPrintedAsync(id, "deaf");

        await _api.CancelAsync(id);
        var ended = await _api.WaitEndedAsync(id);

        Assert.Equal("Cancelled", ended.GetProperty("status").GetString());
        Assert.True(ended.GetProperty("stateLost").GetBoolean());
        var after = await _api.GetEngineAsync(engine.EngineId);
        Assert.True(after!.Json.GetProperty("stateLost").GetBoolean(), $"the engine says its state is gone: {after}");
        Assert.Equal("gone\n", (await _api.ExecuteOkAsync(engine.EngineId, "echo ${X-gone}")).Stdout);
        var next = await _api.AskReadyAsync("ex5-IDE");
        Assert.NotEqual(engine.EngineId, next.EngineId);
    }

    [Fact]
    public async Task Queued_executions_run_in_order_and_a_cancelled_one_never_runs()
    {
        var engine = await _api.AskReadyAsync("ex6-IDE");
        var first = (await _api.SubmitAsync(engine.EngineId, "sleep 1; echo first >> order")).GetProperty("executionId").GetString()!;
        var second = (await _api.SubmitAsync(engine.EngineId, "echo second >> order")).GetProperty("executionId").GetString()!;
        var third = (await _api.SubmitAsync(engine.EngineId, "echo third >> order; cat order")).GetProperty("executionId").GetString()!;
        Assert.Equal("Queued", (await _api.GetExecutionAsync(second)).GetProperty("status").GetString());

        var cancelled = await _api.CancelAsync(second);

        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.False(cancelled.TryGetProperty("startedAt", out var started) && started.ValueKind != JsonValueKind.Null);
        var last = await _api.WaitEndedAsync(third);
        Assert.Equal("Succeeded", (await _api.GetExecutionAsync(first)).GetProperty("status").GetString());
        Assert.Equal("Succeeded", last.GetProperty("status").GetString());
        var output = await _api.GetAsync($"/api/v1/executions/{third}/output");
        Assert.Equal("first\nthird\n", output.Body);
    }

    [Fact]
    public async Task An_engine_holds_only_so_many_waiting_executions()
    {
        var engine = await _api.AskReadyAsync("ex7-IDE");
        await _api.SubmitAsync(engine.EngineId, "sleep 3");
        for (var i = 0; i < 16; i++)
        {
            await _api.SubmitAsync(engine.EngineId, "true");
        }

        var refused = (await _api.PostAsync($"/api/v1/engines/{engine.EngineId}/executions", new { code = "true" })).ExpectProblem(HttpStatusCode.TooManyRequests);
        Assert.Contains("MaxQueuedExecutions", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_flood_of_output_is_followed_to_its_cap_without_the_silo_holding_it()
    {
        var engine = await _api.AskReadyAsync("ex8-IDE");
        var before = fixture.Silo.ResidentBytes();
        var id = (await _api.SubmitAsync(engine.EngineId, "head -c 100000000 /dev/zero | tr '\\0' x; echo", timeoutSeconds: 300)).GetProperty("executionId").GetString()!;
        var peak = before;
        var followed = 0L;
        var engineSeenBusy = false;
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            // Sampled every 100 ms while the follower reads: the silo's peak, and whether the engine answers meanwhile.
            using var sampling = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            do
            {
                peak = Math.Max(peak, fixture.Silo.ResidentBytes());
                engineSeenBusy |= (await _api.GetEngineAsync(engine.EngineId))?.Status == "Busy";
            }
            while (!watching.IsCancellationRequested && await sampling.WaitForNextTickAsync());
        });

        var events = await fixture.Silo.FollowAsync(id, stopAfter: e => { followed += e.Text.Length; return false; }, deadline: TimeSpan.FromMinutes(4));
        await watching.CancelAsync();
        await watcher;

        var result = events.Last();
        Assert.Equal("result", result.Type);
        Assert.True(result.Data.GetProperty("truncated").GetBoolean());
        Assert.Equal(64L << 20, result.Data.GetProperty("stdoutBytes").GetInt64());
        Assert.Equal(64L << 20, followed);
        Assert.True(engineSeenBusy);
        Assert.Equal("Idle", (await _api.GetEngineAsync(engine.EngineId))!.Status);
        // 64 MiB went through; the silo held it a piece at a time.
        Assert.True(peak - before < 48L << 20, $"the silo grew by {(peak - before) >> 20} MiB while following 64 MiB");
    }
}
