using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A silo whose engines keep one finished execution, so a history trim meets an execution as it ends.</summary>
public sealed class ExecutionRunnerClusterFixture : FakeClusterFixture
{
    protected override void ConfigureEngines(EngineOptions options) => options.ExecutionHistory = 1;
}

[CollectionDefinition(Name)]
public sealed class ExecutionRunnerClusterCollection : ICollectionFixture<ExecutionRunnerClusterFixture>
{
    public const string Name = "execution runner cluster";
}

/// <summary>
/// The engine grain's runner where it meets its saves: a save that is slow or fails while executions end, wait and are
/// cancelled must leave each execution where its record says, and the engine Idle once nothing runs.
/// </summary>
[Collection(ExecutionRunnerClusterCollection.Name)]
public sealed class ExecutionRunnerTests(ExecutionRunnerClusterFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        fixture.Store.BeforeWrite = null;
        return Task.CompletedTask;
    }

    private async Task<(IEngineConnGrain Grain, FakeEngineHost Host, TaskCompletionSource Gate)> HeldEngine(string userCreator)
    {
        var engine = (await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
            Reuse = false,
        })).Engine!;
        var host = fixture.Launcher.Hosts[engine.EngineId];
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.ExecutionGate = gate;
        return (fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId), host, gate);
    }

    private static async Task<ExecutionInfo> Submit(IEngineConnGrain grain, string code)
    {
        var submitted = await grain.Submit(new ExecutionSubmit(code, Timeout, "tester"));
        Assert.Null(submitted.Error);
        return submitted.Execution!;
    }

    private static Task<ExecutionInfo> WaitFor(IEngineConnGrain grain, string executionId, ExecutionStatus status) =>
        Eventually.Until(async () => (await grain.GetExecution(executionId))!, e => e.Status == status, $"execution {executionId} is {status}");

    /// <summary>Holds this engine's state writes until the returned gate opens.</summary>
    private TaskCompletionSource HoldWrites(IEngineConnGrain grain)
    {
        var writes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var key = grain.GetPrimaryKeyString();
        fixture.Store.BeforeWrite = k => k.EndsWith(key, StringComparison.Ordinal) ? writes.Task : Task.CompletedTask;
        return writes;
    }

    [Fact]
    public async Task A_waiting_execution_cancelled_while_the_one_before_is_saved_leaves_the_engine_idle()
    {
        var (grain, _, gate) = await HeldEngine("runner-cancel-IDE");
        var first = await Submit(grain, "echo first");
        await WaitFor(grain, first.ExecutionId, ExecutionStatus.Running);
        var second = await Submit(grain, "echo second");

        var writes = HoldWrites(grain);
        gate.SetResult();
        await WaitFor(grain, first.ExecutionId, ExecutionStatus.Succeeded);
        var cancel = grain.CancelExecution(second.ExecutionId, "tester");
        await WaitFor(grain, second.ExecutionId, ExecutionStatus.Cancelled);
        writes.SetResult();
        await cancel;

        var engine = await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status == EngineStatus.Idle, "the engine is Idle once nothing runs");
        Assert.Equal(EngineStatus.Idle, engine.Status);
    }

    [Fact]
    public async Task A_waiter_hears_of_its_execution_even_when_the_history_trim_drops_it_as_it_ends()
    {
        var (grain, _, gate) = await HeldEngine("runner-trim-IDE");
        // Execute waits on the execution's outcome from the moment it is submitted.
        var run = grain.Execute(new ExecuteRequest("echo first", Timeout));
        var first = await Eventually.Until(async () => await grain.ListExecutions() ?? [], l => l.Count == 1 && l[0].Status == ExecutionStatus.Running, "the first runs");
        var second = await Submit(grain, "echo second");
        // The later one ends first: when the first ends, two are finished and the history keeps one, the older going.
        await grain.CancelExecution(second.ExecutionId, "tester");

        gate.SetResult();
        var result = await run.WaitAsync(Timeout);

        Assert.Equal(0, result.ExitCode);
        Assert.Null(await grain.GetExecution(first[0].ExecutionId));
    }

    [Fact]
    public async Task A_submit_that_could_not_be_saved_never_runs()
    {
        var (grain, host, gate) = await HeldEngine("runner-unsaved-IDE");
        var first = await Submit(grain, "echo first");
        await WaitFor(grain, first.ExecutionId, ExecutionStatus.Running);

        var key = grain.GetPrimaryKeyString();
        var failedWrites = 0;
        fixture.Store.BeforeWrite = k =>
        {
            if (!k.EndsWith(key, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref failedWrites);
            return Task.FromException(new TimeoutException("the database is slow today"));
        };
        var refused = grain.Submit(new ExecutionSubmit("echo never", Timeout, "tester"));
        await Eventually.Until(() => Volatile.Read(ref failedWrites) > 0, "the submit's first save failed");
        // The first ends while the submit's save is being retried: the runner looks for the next one meanwhile.
        gate.SetResult();
        await WaitFor(grain, first.ExecutionId, ExecutionStatus.Succeeded);
        await Eventually.Until(() => refused.IsCompleted, "the submit gave up", eachRound: () => fixture.Advance(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100)));

        await Assert.ThrowsAnyAsync<Exception>(() => refused);
        Assert.DoesNotContain("echo never", host.Executed);
        Assert.Single(await grain.ListExecutions() ?? []);
    }

    [Fact]
    public async Task A_cancel_made_while_the_node_is_away_reaches_its_host_once_the_node_is_back()
    {
        var (grain, _, _) = await HeldEngine("runner-away-IDE");
        var held = await Submit(grain, "echo held");
        await WaitFor(grain, held.ExecutionId, ExecutionStatus.Running);
        var watch = fixture.Grains.GetGrain<INodeWatchGrain>(FakeClusterFixture.NodeName);
        var silo = fixture.Cluster.Silos[^1].SiloAddress.ToParsableString();
        await watch.OnSiloDead(silo, fixture.Time.GetUtcNow());
        try
        {
            await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status == EngineStatus.Unreachable, "the engine is Unreachable");
            var asked = await grain.CancelExecution(held.ExecutionId, "tester");
            // Its host has not heard of the cancel: the execution runs on there.
            Assert.Equal(ExecutionStatus.Running, asked!.Status);
            Assert.Equal("tester", asked.CancelledBy);

            // Its node is heard from again.
            await grain.AsReference<IEngineLifecycle>().Heartbeat(fixture.Time.GetUtcNow());

            var ended = await WaitFor(grain, held.ExecutionId, ExecutionStatus.Cancelled);
            Assert.Equal("tester", ended.CancelledBy);
            await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status == EngineStatus.Idle, "the engine is Idle once its execution was cancelled");
        }
        finally
        {
            await watch.OnNodeActive(silo);
        }
    }
}
