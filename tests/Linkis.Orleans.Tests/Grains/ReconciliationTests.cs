using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>Reconciliation: a ledger against the engines that really live, and a node's processes against the ledgers.</summary>
[Collection(FakeClusterCollection.Name)]
public sealed class ReconciliationTests(FakeClusterFixture fixture)
{
    private static readonly ResourceVector OneGig = ResourceVector.FromCores(1L << 30, 1, 1);

    private IAppManagerGrain AppManager => fixture.Grains.GetGrain<IAppManagerGrain>(0);

    private INodeManagerGrain Node => fixture.Grains.GetGrain<INodeManagerGrain>(FakeClusterFixture.NodeName);

    private Task<LedgerSnapshot> Snapshot(string key) => fixture.Grains.GetGrain<IResourceLedgerGrain>(key).GetSnapshot();

    private static EngineAsk Ask(string userCreator, string? script = null) => new()
    {
        Labels = new Dictionary<string, string?> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" },
        Properties = script is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [FakeEngineHostLauncher.StartProperty] = script },
        Reuse = false,
    };

    [Fact]
    public async Task Engines_that_start_run_and_end_leave_nothing_to_repair()
    {
        var kept = (await AppManager.Ask(Ask("recon-IDE"))).Engine!;
        var killed = (await AppManager.Ask(Ask("recon-IDE"))).Engine!;
        await fixture.Grains.GetGrain<IEngineConnGrain>(killed.EngineId).Kill("test");
        Assert.NotNull((await AppManager.Ask(Ask("recon-IDE", "exit"))).Error);

        Assert.Equal(0, await Node.Reconcile());
        Assert.Equal(0, await fixture.Grains.GetGrain<IResourceLedgerBooking>("userCreator=recon-IDE").Reconcile());
        Assert.Equal([kept.EngineId], (await Snapshot("userCreator=recon-IDE")).Tickets.Select(t => t.Id));
        await fixture.Grains.GetGrain<IEngineConnGrain>(kept.EngineId).Kill("test");
    }

    [Fact]
    public async Task A_confirmed_ticket_of_no_engine_is_released()
    {
        var key = LedgerKeys.ForUserCreator(new UserCreatorLabel("ghost" + Guid.NewGuid().ToString("N")[..6], "IDE"));
        var ledger = fixture.Grains.GetGrain<IResourceLedgerBooking>(key);
        Assert.True((await ledger.TryLock("0000ghost0000000", OneGig, TimeSpan.FromMinutes(1), "shell-1")).Granted);
        Assert.True(await ledger.Confirm("0000ghost0000000"));

        Assert.Equal(1, await ledger.Reconcile());

        Assert.Empty((await Snapshot(key)).Tickets);
        Assert.Equal(0, await ledger.Reconcile());
    }

    [Fact]
    public async Task A_running_engine_that_lost_its_tickets_is_booked_again_on_both_ledgers()
    {
        var engine = (await AppManager.Ask(Ask("lostticket-IDE"))).Engine!;
        await fixture.Grains.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForNode(engine.Node)).Release(engine.EngineId);
        await fixture.Grains.GetGrain<IResourceLedgerBooking>("userCreator=lostticket-IDE").Release(engine.EngineId);

        Assert.Equal(2, await Node.Reconcile());

        var node = await Snapshot(LedgerKeys.ForNode(engine.Node));
        Assert.Equal(TicketState.Confirmed, node.Tickets.Single(t => t.Id == engine.EngineId).State);
        var user = Assert.Single((await Snapshot("userCreator=lostticket-IDE")).Tickets);
        Assert.Equal((engine.EngineId, "shell-1", engine.Resources), (user.Id, user.EngineType, user.Resource));
        Assert.Equal(0, await Node.Reconcile());

        await fixture.Grains.GetGrain<IEngineConnGrain>(engine.EngineId).Kill("test");
        Assert.Empty((await Snapshot("userCreator=lostticket-IDE")).Tickets);
    }
}
