using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A silo of its own, restarted by the tests: its engines' "processes" and its grain state outlive it.</summary>
public sealed class RestartClusterFixture : FakeClusterFixture;

[CollectionDefinition(Name)]
public sealed class RestartClusterCollection : ICollectionFixture<RestartClusterFixture>
{
    public const string Name = "restarted cluster";
}

/// <summary>
/// Nomad's restart test at grain level: two lives of a node over one stored process table and one set of running
/// hosts. The second life re-attaches what still runs — starting nothing again — and ends what died meanwhile.
/// </summary>
[Collection(RestartClusterCollection.Name)]
public sealed class NodeRestartTests(RestartClusterFixture fixture)
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private static EngineAsk Ask(string userCreator) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
        Reuse = false,
    };

    [Fact]
    public async Task A_restarted_node_reattaches_its_running_engine_and_starts_it_exactly_once()
    {
        var engine = (await AppManager.Ask(Ask("survivor-IDE"))).Engine!;
        var launches = fixture.Launcher.LaunchCount;
        var host = fixture.Launcher.Hosts[engine.EngineId];

        await fixture.Cluster.RestartSiloAsync(fixture.Cluster.Silos[^1]);
        await NewSiloAnswers();

        await Eventually.Until(() => Task.FromResult(fixture.Supervisor.IsRunning(engine.EngineId)), running => running,
            "the restarted node to re-attach the engine", eachRound: () => WakeNode());
        // Its old silo's death may have made the engine Unreachable meanwhile; the re-attached host's pongs bring it back.
        var after = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).GetInfo())!,
            e => e.Status == EngineStatus.Idle, "the re-attached engine to be Idle",
            eachRound: () => fixture.Advance(FakeClusterFixture.PingInterval, FakeClusterFixture.CheckInterval));
        Assert.Equal(engine.Pid, after.Pid);
        Assert.Equal(launches, fixture.Launcher.LaunchCount);
        Assert.False(host.HasExited);

        var run = await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Execute(new ExecuteRequest("echo again", TimeSpan.FromSeconds(5)));
        Assert.Null(run.Error);
        Assert.Contains("echo again", host.Executed);
        await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Kill("tester");
    }

    [Fact]
    public async Task An_engine_whose_process_died_while_its_node_was_down_ends_and_frees_its_resources()
    {
        var engine = (await AppManager.Ask(Ask("casualty-IDE"))).Engine!;
        var launches = fixture.Launcher.LaunchCount;

        // The fake clock stands still, so the node about to stop pings nobody and cannot see it go.
        fixture.Launcher.Hosts[engine.EngineId].DieUnseen();
        await fixture.Cluster.RestartSiloAsync(fixture.Cluster.Silos[^1]);
        await NewSiloAnswers();

        var ended = await Eventually.Until(
            async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).GetInfo())!,
            e => e.Status.IsEnded(), "the engine to end once its node finds its process gone", eachRound: () => WakeNode());
        Assert.Equal(EngineStatus.Failed, ended.Status);
        Assert.Equal(EndReasonKind.ProcessExited, ended.EndReason!.Kind);
        Assert.Equal(launches, fixture.Launcher.LaunchCount);
        var user = await fixture.Grains.GetGrain<IResourceLedgerGrain>($"userCreator=casualty-IDE").GetSnapshot();
        Assert.Empty(user.Tickets);
        var node = await fixture.Grains.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(engine.Node)).GetSnapshot();
        Assert.DoesNotContain(node.Tickets, t => t.Id == engine.EngineId);
    }

    /// <summary>The node manager of the new silo activates with the silo; asking it for its report waits for that.</summary>
    private async Task WakeNode() => await fixture.Grains.GetGrain<INodeManagerGrain>(FakeClusterFixture.NodeName).GetReport();

    /// <summary>The test's client may try the old silo's gateway once more before it finds the new one.</summary>
    private Task NewSiloAnswers() => Eventually.Until(async () =>
        {
            try
            {
                await WakeNode();
                return true;
            }
            catch (Exception e) when (TransientFailures.IsTransient(e))
            {
                return false;
            }
        },
        "the restarted silo to answer the test's client");
}
