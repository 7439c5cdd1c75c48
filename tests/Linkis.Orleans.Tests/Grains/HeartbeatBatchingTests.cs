using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A cluster whose engines give up on their node after 30 s without a heartbeat.</summary>
public class HeartbeatBatchingClusterFixture : FakeClusterFixture
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    protected override void ConfigureEngines(EngineOptions options) => options.HeartbeatTimeout = HeartbeatTimeout;

    public InProcessSiloHandle Silo(string name) => Cluster.Silos.Single(s => s.Name == name);

    public EngineHostSupervisor SupervisorOf(string node) => Silo(node).ServiceProvider.GetRequiredService<EngineHostSupervisor>();

    public EngineHeartbeatBoard BoardOf(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<EngineHeartbeatBoard>();

    public static EngineAsk Ask(string userCreator, string? node = null)
    {
        var labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" };
        if (node is not null)
        {
            labels["node"] = node;
        }

        return new EngineAsk { Labels = labels, Properties = new Dictionary<string, string> { ["idleTimeout"] = "1h" }, Reuse = false };
    }

    /// <summary>Moves the clock one ping interval on and waits until the node's round has forwarded its pongs.</summary>
    public async Task PingRound(EngineHostSupervisor supervisor)
    {
        var before = supervisor.PingRounds;
        await Advance(PingInterval, TimeSpan.FromSeconds(1));
        await Eventually.Until(() => supervisor.PingRounds > before, "the node's ping round to finish");
    }

    /// <summary>What one round made the node send, and what its grains received.</summary>
    public async Task<RoundCalls> CountRound(EngineHostSupervisor supervisor)
    {
        var (relays, directs, relayed, heard) = (supervisor.HeartbeatRelayCalls, supervisor.HeartbeatDirectCalls, Calls.Count("Relay"), Calls.Count("Heartbeat"));
        await PingRound(supervisor);
        return new RoundCalls(supervisor.HeartbeatRelayCalls - relays, supervisor.HeartbeatDirectCalls - directs, Calls.Count("Relay") - relayed, Calls.Count("Heartbeat") - heard);
    }

    public async Task<EngineInfo> Status(string engineId) => (await Grains.GetGrain<IEngineConnGrain>(engineId).GetInfo())!;
}

/// <summary>Sent: relay and direct calls the node made; received: Relay and Heartbeat calls its grains got.</summary>
public sealed record RoundCalls(long RelaysSent, long DirectsSent, int RelaysReceived, int HeartbeatsReceived);

[CollectionDefinition(Name)]
public sealed class HeartbeatBatchingClusterCollection : ICollectionFixture<HeartbeatBatchingClusterFixture>
{
    public const string Name = "heartbeat batching cluster";
}

/// <summary>
/// A node forwards its engines' liveness in one relay call per silo that holds their grains (here one silo, as in
/// development), and calls an engine directly only where its silo's relay cannot serve it.
/// </summary>
[Collection(HeartbeatBatchingClusterCollection.Name)]
public sealed class HeartbeatBatchingTests(HeartbeatBatchingClusterFixture fixture)
{
    private const string Node = FakeClusterFixture.NodeName;

    private EngineHostSupervisor Supervisor => fixture.SupervisorOf(Node);

    private EngineHeartbeatBoard Board => fixture.BoardOf(fixture.Silo(Node));

    private async Task<EngineInfo> Start(string userCreator) => (await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(HeartbeatBatchingClusterFixture.Ask(userCreator))).Engine!;

    [Fact]
    public async Task A_round_tells_all_running_engines_in_one_relay_call_that_keeps_them_past_their_heartbeat_timeout_and_none_is_left_behind()
    {
        var engines = new List<EngineInfo>();
        for (var i = 0; i < 3; i++)
        {
            engines.Add(await Start($"batch{i}-IDE"));
        }

        // First round: the node does not know where the new engines' grains live, so it calls them; they say.
        var first = await fixture.CountRound(Supervisor);
        Assert.True(first.DirectsSent >= engines.Count, $"the new engines are called directly once: {first}");

        var second = await fixture.CountRound(Supervisor);
        Assert.Equal(new RoundCalls(1, 0, 1, 0), second);
        Assert.All(engines, e => Assert.True(Board.IsRegistered(e.EngineId), $"engine {e.EngineId} has a slot on its silo"));

        // Past the heartbeat timeout on batched heartbeats alone: no engine misses them and asks its node whether it runs it.
        var probes = fixture.Calls.Count("HasEngine");
        var until = fixture.Time.GetUtcNow() + HeartbeatBatchingClusterFixture.HeartbeatTimeout * 2;
        while (fixture.Time.GetUtcNow() < until)
        {
            Assert.Equal(new RoundCalls(1, 0, 1, 0), await fixture.CountRound(Supervisor));
        }

        Assert.Equal(probes, fixture.Calls.Count("HasEngine"));
        foreach (var engine in engines)
        {
            Assert.Equal(EngineStatus.Idle, (await fixture.Status(engine.EngineId)).Status);
        }

        // Ended engines leave nothing behind: not on the node, nor a slot on the board once their grain is gone.
        foreach (var engine in engines)
        {
            await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Kill("tester");
        }

        foreach (var engine in engines)
        {
            await Eventually.Until(() => !Supervisor.IsRunning(engine.EngineId) && !Board.IsRegistered(engine.EngineId),
                $"engine {engine.EngineId} to be forgotten by its node and its silo's board");
        }
    }

    [Fact]
    public async Task An_engine_whose_grain_is_not_active_on_its_silo_is_called_directly_by_the_next_round_and_batched_after()
    {
        var engine = await Start("inactive-IDE");
        await fixture.PingRound(Supervisor);
        await fixture.PingRound(Supervisor);
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);

        await fixture.Cluster.DeactivateAsync(grain);
        Assert.False(Board.IsRegistered(engine.EngineId), "a deactivated grain leaves no slot on its silo");

        var missed = await fixture.CountRound(Supervisor);
        Assert.Equal(new RoundCalls(1, 1, 1, 1), missed);
        Assert.True(Board.IsRegistered(engine.EngineId), "the direct heartbeat activated the grain again");
        Assert.Equal(EngineStatus.Idle, (await fixture.Status(engine.EngineId)).Status);

        Assert.Equal(new RoundCalls(1, 0, 1, 0), await fixture.CountRound(Supervisor));
        await grain.Kill("tester");
    }

    [Fact]
    public async Task An_unreachable_engine_is_woken_by_the_next_batched_round_and_batched_again_once_reachable()
    {
        var engine = await Start("wake-IDE");
        await fixture.PingRound(Supervisor);
        await fixture.PingRound(Supervisor);
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);
        var lostAt = fixture.Time.GetUtcNow();

        // As when membership declared its node's silo dead for a moment.
        await grain.AsReference<IEngineLifecycle>().OnNodeLost(Node, lostAt);
        Assert.Equal(EngineStatus.Unreachable, (await fixture.Status(engine.EngineId)).Status);

        // Its silo's relay will not take its heartbeat: it is called with it, and comes back at once, before any deadline.
        var woken = await fixture.CountRound(Supervisor);
        Assert.Equal(new RoundCalls(1, 1, 1, 1), woken);
        var back = await Eventually.Until(() => fixture.Status(engine.EngineId), e => e.Status == EngineStatus.Idle, "the engine to be reachable again");
        Assert.Null(back.UnreachableSince);

        // It answered that call while still Unreachable, so it is called once more; from then on it is batched.
        var rounds = new List<RoundCalls>();
        for (var i = 0; i < 3; i++)
        {
            rounds.Add(await fixture.CountRound(Supervisor));
        }

        Assert.Equal(new RoundCalls(1, 0, 1, 0), rounds[^1]);
        Assert.True(rounds.Sum(r => r.DirectsSent) <= 1, $"at most one more direct call: {string.Join("; ", rounds)}");
        await grain.Kill("tester");
    }
}

/// <summary>Two silos, each a node: engine grains may live on either, and on another silo than their node.</summary>
public sealed class TwoSiloHeartbeatClusterFixture : HeartbeatBatchingClusterFixture
{
    protected override short SiloCount => 2;
}

[CollectionDefinition(Name)]
public sealed class TwoSiloHeartbeatClusterCollection : ICollectionFixture<TwoSiloHeartbeatClusterFixture>
{
    public const string Name = "two-silo heartbeat cluster";
}

/// <summary>In a cluster of several silos: one relay call per silo that holds a node's engine grains, and a grain that moved is found again.</summary>
[Collection(TwoSiloHeartbeatClusterCollection.Name)]
public sealed class MultiSiloHeartbeatBatchingTests(TwoSiloHeartbeatClusterFixture fixture)
{
    private const string Node = FakeClusterFixture.NodeName;

    private EngineHostSupervisor Supervisor => fixture.SupervisorOf(Node);

    private async Task<EngineInfo> Start(string userCreator) =>
        (await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(HeartbeatBatchingClusterFixture.Ask(userCreator, Node))).Engine!;

    private InProcessSiloHandle SiloOf(string engineId) =>
        fixture.Cluster.Silos.Single(s => fixture.BoardOf(s).IsRegistered(engineId));

    private InProcessSiloHandle OtherThan(InProcessSiloHandle silo) => fixture.Cluster.Silos.Single(s => s != silo);

    private async Task MoveTo(string engineId, InProcessSiloHandle target)
    {
        await fixture.Cluster.MigrateAsync(fixture.Grains.GetGrain<IEngineConnGrain>(engineId), target.SiloAddress);
        await Eventually.Until(() => fixture.BoardOf(target).IsRegistered(engineId), $"engine {engineId} to be active on {target.Name}");
    }

    [Fact]
    public async Task A_round_makes_one_relay_call_per_silo_holding_the_node_s_engine_grains()
    {
        var a = await Start("spread1-IDE");
        var b = await Start("spread2-IDE");
        Assert.Equal(Node, a.Node);
        Assert.Equal(Node, b.Node);
        await fixture.PingRound(Supervisor);
        // One grain on each silo, whichever the placement chose.
        if (SiloOf(a.EngineId) == SiloOf(b.EngineId))
        {
            await MoveTo(b.EngineId, OtherThan(SiloOf(a.EngineId)));
        }

        await fixture.PingRound(Supervisor);
        await fixture.PingRound(Supervisor);
        var relays = fixture.Cluster.Silos.ToDictionary(s => s.Name, s => fixture.Calls.Count("Relay", s.SiloAddress));

        var round = await fixture.CountRound(Supervisor);

        Assert.Equal(new RoundCalls(2, 0, 2, 0), round);
        Assert.All(fixture.Cluster.Silos, s => Assert.Equal(relays[s.Name] + 1, fixture.Calls.Count("Relay", s.SiloAddress)));
        await fixture.Grains.GetGrain<IEngineConnGrain>(a.EngineId).Kill("tester");
        await fixture.Grains.GetGrain<IEngineConnGrain>(b.EngineId).Kill("tester");
    }

    [Fact]
    public async Task A_grain_that_moved_to_another_silo_is_called_once_there_and_then_batched_to_its_new_silo()
    {
        var engine = await Start("moving-IDE");
        await fixture.PingRound(Supervisor);
        await fixture.PingRound(Supervisor);
        var from = SiloOf(engine.EngineId);
        var to = OtherThan(from);
        Assert.Equal(new RoundCalls(1, 0, 1, 0), await fixture.CountRound(Supervisor));

        await MoveTo(engine.EngineId, to);
        Assert.False(fixture.BoardOf(from).IsRegistered(engine.EngineId), "the grain's old silo keeps no slot for it");

        // The old silo's relay does not have it: it is called directly, wherever it is now, and says where that is.
        var relaysTo = fixture.Calls.Count("Relay", to.SiloAddress);
        Assert.Equal(new RoundCalls(1, 1, 1, 1), await fixture.CountRound(Supervisor));
        Assert.Equal(relaysTo, fixture.Calls.Count("Relay", to.SiloAddress));

        var batched = await fixture.CountRound(Supervisor);
        Assert.Equal(new RoundCalls(1, 0, 1, 0), batched);
        Assert.Equal(relaysTo + 1, fixture.Calls.Count("Relay", to.SiloAddress));
        Assert.Equal(EngineStatus.Idle, (await fixture.Status(engine.EngineId)).Status);
        await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Kill("tester");
    }
}
