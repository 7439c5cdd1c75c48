using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A silo whose node's engines wait one minute for a lost node before they end.</summary>
public sealed class NodeLossClusterFixture : FakeClusterFixture
{
    public static readonly TimeSpan LostGrace = TimeSpan.FromMinutes(1);

    protected override void ConfigureNode(NodeOptions options) => options.LostGrace = LostGrace;
}

[CollectionDefinition(Name)]
public sealed class NodeLossClusterCollection : ICollectionFixture<NodeLossClusterFixture>
{
    public const string Name = "node loss cluster";
}

/// <summary>
/// The node watch at grain level: a membership death of the node's current silo makes its engines Unreachable at once
/// (no call to them needed), the grace ends them NodeLost with every ticket released; a drain stops idle engines at
/// once and a busy one after its execution, and eligibility brings the node back.
/// </summary>
[Collection(NodeLossClusterCollection.Name)]
public sealed class NodeLossAndDrainTests(NodeLossClusterFixture fixture)
{
    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private INodeWatchGrain Watch => fixture.Grains.GetGrain<INodeWatchGrain>(FakeClusterFixture.NodeName);

    private static EngineAsk Ask(string userCreator) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
        Properties = new Dictionary<string, string> { ["idleTimeout"] = "1h" },
        Reuse = false,
    };

    [Fact]
    public async Task A_lost_node_makes_its_engines_unreachable_then_after_its_grace_failed_with_nothing_booked()
    {
        // Orleans' reminder service starts on the fake clock: a fresh silo's first reminder waits for it to move.
        await fixture.Advance(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
        await Watch.SetEligibility(true, "tester");
        var engines = new List<EngineInfo>();
        for (var i = 0; i < 2; i++)
        {
            engines.Add((await AppManager.Ask(Ask("lostnode-IDE"))).Engine!);
        }

        var silo = fixture.Cluster.Silos[^1].SiloAddress.ToParsableString();
        var lostAt = fixture.Time.GetUtcNow();
        // What the membership watcher tells the watch when membership declares the node's silo dead.
        await Watch.OnSiloDead(silo, lostAt);

        foreach (var engine in engines)
        {
            var info = (await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).GetInfo())!;
            Assert.Equal(EngineStatus.Unreachable, info.Status);
            Assert.Equal(lostAt, info.UnreachableSince);
        }

        var refused = await fixture.Grains.GetGrain<IEngineConnGrain>(engines[0].EngineId).Execute(new ExecuteRequest("echo hi", TimeSpan.FromSeconds(5)));
        Assert.Equal(LinkisErrorKind.Unavailable, refused.Error?.Kind);
        Assert.Contains($"node {FakeClusterFixture.NodeName} has been lost since", refused.Error!.Detail);

        // Not reused while Unreachable: a reusing ask gets a new engine.
        var another = (await AppManager.Ask(Ask("lostnode-IDE") with { Reuse = true })).Engine!;
        Assert.DoesNotContain(another.EngineId, engines.Select(e => e.EngineId));
        await fixture.Grains.GetGrain<IEngineConnGrain>(another.EngineId).Kill("tester");

        // The node's silo never comes back (here it lives on, but its watch heard it was dead; pings are not news of that).
        await fixture.Advance(NodeLossClusterFixture.LostGrace + TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        foreach (var engine in engines)
        {
            var ended = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).GetInfo())!,
                e => e.Status.IsEnded(), "the lost node's engine to end", eachRound: () => fixture.Advance(TimeSpan.FromSeconds(1)));
            Assert.Equal(EngineStatus.Failed, ended.Status);
            Assert.Equal(EndReasonKind.NodeLost, ended.EndReason!.Kind);
            Assert.Contains("did not come back within 1m", ended.EndReason.Message);
        }

        var user = await fixture.Grains.GetGrain<IResourceLedgerGrain>("userCreator=lostnode-IDE").GetSnapshot();
        Assert.Empty(user.Tickets);
        var node = await fixture.Grains.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(FakeClusterFixture.NodeName)).GetSnapshot();
        Assert.DoesNotContain(node.Tickets, t => engines.Any(e => e.EngineId == t.Id));

        // The node "comes back" (its manager activates and says so): it takes engines again.
        await Watch.OnNodeActive(silo);
        Assert.Null(await Watch.GetLostSince());
        var fresh = await AppManager.Ask(Ask("lostnode-IDE"));
        Assert.Null(fresh.Error);
        await fixture.Grains.GetGrain<IEngineConnGrain>(fresh.Engine!.EngineId).Kill("tester");
    }

    [Fact]
    public async Task A_drain_stops_idle_engines_at_once_a_busy_one_after_its_execution_and_eligibility_reopens_the_node()
    {
        var idle1 = (await AppManager.Ask(Ask("drain1-IDE"))).Engine!;
        var idle2 = (await AppManager.Ask(Ask("drain2-IDE"))).Engine!;
        var busy = (await AppManager.Ask(Ask("drain3-IDE"))).Engine!;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Launcher.Hosts[busy.EngineId].ExecutionGate = gate;
        var running = fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).Execute(new ExecuteRequest("long job", TimeSpan.FromMinutes(5)));
        await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!.Status,
            s => s == EngineStatus.Busy, "the third engine to be busy");

        var admission = await Watch.Drain(TimeSpan.FromMinutes(10), "ops");
        Assert.False(admission.Eligible);
        Assert.Equal("ops", admission.Drain!.By);

        foreach (var idle in new[] { idle1, idle2 })
        {
            var ended = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(idle.EngineId).GetInfo())!,
                e => e.Status.IsEnded(), "an idle engine to stop for the drain");
            Assert.Equal(EngineStatus.Success, ended.Status);
            Assert.Equal(EndReasonKind.Drained, ended.EndReason!.Kind);
        }

        Assert.Equal(EngineStatus.Busy, (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!.Status);
        var refused = await AppManager.Ask(Ask("drain4-IDE"));
        Assert.Equal(LinkisErrorKind.Unavailable, refused.Error?.Kind);
        Assert.Contains("draining", refused.Error!.Detail);

        gate.SetResult();
        Assert.Null((await running).Error);
        var busyEnded = await Eventually.Until(async () => (await fixture.Grains.GetGrain<IEngineConnGrain>(busy.EngineId).GetInfo())!,
            e => e.Status.IsEnded(), "the busy engine to stop once its execution ended");
        Assert.Equal(EndReasonKind.Drained, busyEnded.EndReason!.Kind);

        var report = await fixture.Grains.GetGrain<INodeManagerGrain>(FakeClusterFixture.NodeName).GetReport();
        Assert.Equal(NodeVerdict.Draining, report.Verdict);

        await Watch.SetEligibility(true, "ops");
        await Eventually.Until(() => fixture.Grains.GetGrain<INodeManagerGrain>(FakeClusterFixture.NodeName).GetReport(),
            r => r.Verdict == NodeVerdict.Healthy && r.Admission.Eligible, "the node to take engines again");
        var again = await AppManager.Ask(Ask("drain4-IDE"));
        Assert.Null(again.Error);
        await fixture.Grains.GetGrain<IEngineConnGrain>(again.Engine!.EngineId).Kill("tester");
    }
}
