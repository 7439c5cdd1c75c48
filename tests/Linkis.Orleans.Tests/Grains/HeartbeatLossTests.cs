using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>A silo whose engines give up on their node after 30 s without a heartbeat.</summary>
public sealed class HeartbeatLossClusterFixture : FakeClusterFixture
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    protected override void ConfigureEngines(EngineOptions options) => options.HeartbeatTimeout = HeartbeatTimeout;
}

[CollectionDefinition(Name)]
public sealed class HeartbeatLossClusterCollection : ICollectionFixture<HeartbeatLossClusterFixture>
{
    public const string Name = "heartbeat loss cluster";
}

/// <summary>An engine whose node stops reporting on it (the node's silo is gone or cut off) fails on its own.</summary>
[Collection(HeartbeatLossClusterCollection.Name)]
public sealed class HeartbeatLossTests(HeartbeatLossClusterFixture fixture)
{
    [Fact]
    public async Task An_engine_without_heartbeats_for_its_timeout_fails_HeartbeatLost_and_frees_its_resources()
    {
        var engine = (await fixture.Grains.GetGrain<IAppManagerGrain>(0).Ask(new EngineAsk
        {
            Labels = new Dictionary<string, string?> { ["userCreator"] = "silent-IDE", ["engineType"] = "shell-1" },
            Properties = new Dictionary<string, string> { ["idleTimeout"] = "1h" },
        })).Engine!;
        var grain = fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId);

        // The node's pinging stops (its silo's liveness loop is gone), while the engine grain lives on elsewhere.
        await fixture.Supervisor.DisposeAsync();
        await fixture.Advance(HeartbeatLossClusterFixture.HeartbeatTimeout - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.True((await grain.GetInfo())!.Status.IsRunning(), "within its heartbeat timeout the engine still runs");

        var ended = await Eventually.Until(async () => (await grain.GetInfo())!, e => e.Status.IsEnded(), "the engine to give up on its node",
            eachRound: () => fixture.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        Assert.Equal(EngineStatus.Failed, ended.Status);
        Assert.Equal(EndReasonKind.HeartbeatLost, ended.EndReason!.Kind);
        Assert.Contains("no heartbeat", ended.EndReason.Message);
        var user = await fixture.Grains.GetGrain<IResourceLedgerGrain>("userCreator=silent-IDE").GetSnapshot();
        Assert.Empty(user.Tickets);
        var node = await fixture.Grains.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(engine.Node)).GetSnapshot();
        Assert.DoesNotContain(node.Tickets, t => t.Id == engine.EngineId);
    }
}
