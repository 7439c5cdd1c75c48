using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

[Collection(FakeClusterCollection.Name)]
public sealed class ResourceLedgerTests(FakeClusterFixture fixture)
{
    private static readonly ResourceVector OneGig = ResourceVector.FromCores(1L << 30, 1, 1);

    private IResourceLedgerBooking NewLedger() =>
        fixture.Grains.GetGrain<IResourceLedgerBooking>($"userCreator=l{Guid.NewGuid():N}-IDE,engineType=shell-1");

    [Fact]
    public async Task Lock_confirm_release_moves_resources_and_is_idempotent()
    {
        var ledger = NewLedger();
        await ledger.SetMax(ResourceVector.FromCores(2L << 30, 2, 2));

        Assert.True((await ledger.TryLock("t1", OneGig, TimeSpan.FromMinutes(1))).Granted);
        Assert.True((await ledger.TryLock("t1", OneGig, TimeSpan.FromMinutes(1))).Granted);
        var locked = await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot();
        Assert.Equal(OneGig, locked.Locked);
        Assert.True(locked.Used.IsZero);

        Assert.True(await ledger.Confirm("t1"));
        Assert.True(await ledger.Confirm("t1"));
        var used = await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot();
        Assert.Equal(OneGig, used.Used);
        Assert.True(used.Locked.IsZero);

        await ledger.Release("t1");
        await ledger.Release("t1");
        var released = await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot();
        Assert.True(released.Used.IsZero);
        Assert.Empty(released.Tickets);
        Assert.False(await ledger.Confirm("t1"));
    }

    [Fact]
    public async Task A_lock_beyond_what_is_left_is_refused_with_the_shortfall()
    {
        var ledger = NewLedger();
        await ledger.SetMax(ResourceVector.FromCores(1L << 30, 4, 10));
        Assert.True((await ledger.TryLock("a", ResourceVector.FromCores(768L << 20, 1, 1), TimeSpan.FromMinutes(1))).Granted);

        var refused = await ledger.TryLock("b", ResourceVector.FromCores(512L << 20, 1, 1), TimeSpan.FromMinutes(1));

        Assert.False(refused.Granted);
        Assert.Equal(["memory: needs 512m, 256m left"], refused.Shortfalls);
        Assert.Single((await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot()).Tickets);
    }

    [Fact]
    public async Task A_lock_never_confirmed_expires_after_its_ttl()
    {
        var ledger = NewLedger();
        await ledger.TryLock("expiring", OneGig, TimeSpan.FromSeconds(10));
        await fixture.Advance(TimeSpan.FromSeconds(5));
        Assert.Single((await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot()).Tickets);

        var after = await Eventually.Until(ledger.AsReference<IResourceLedgerGrain>().GetSnapshot, s => s.Tickets.Count == 0, "the lock to expire",
            eachRound: () => fixture.Advance(TimeSpan.FromSeconds(1)));

        Assert.True(after.Locked.IsZero);
    }

    [Fact]
    public async Task A_node_ledger_books_nothing_until_its_capacity_is_set()
    {
        var ledger = fixture.Grains.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForNode("nowhere-" + Guid.NewGuid().ToString("N")[..8]));

        var result = await ledger.TryLock("x", OneGig, TimeSpan.FromMinutes(1));

        Assert.False(result.Granted);
        Assert.True(result.Left.IsZero);
    }
}
