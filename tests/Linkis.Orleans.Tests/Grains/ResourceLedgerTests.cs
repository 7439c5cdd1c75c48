using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

[Collection(FakeClusterCollection.Name)]
public sealed class ResourceLedgerTests(FakeClusterFixture fixture)
{
    private static readonly ResourceVector OneGig = ResourceVector.FromCores(1L << 30, 1, 1);

    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private IResourceLedgerBooking NewLedger() =>
        fixture.Grains.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForNode($"ledger-{Guid.NewGuid():N}"));

    private static UserCreatorLabel NewUserCreator(string creator = "IDE") => new($"q{Guid.NewGuid():N}"[..12], creator);

    private IResourceLedgerBooking UserLedger(UserCreatorLabel userCreator) =>
        fixture.Grains.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForUserCreator(userCreator));

    private IUserQuotaGrain Quota(UserCreatorLabel userCreator) =>
        fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(userCreator));

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
        await ledger.SetMax(OneGig);
        Assert.True((await ledger.TryLock("expiring", OneGig, TimeSpan.FromSeconds(10))).Granted);
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

    [Fact]
    public async Task A_quota_set_over_the_api_caps_the_user_creator_and_names_the_engines_that_hold_it()
    {
        var userCreator = NewUserCreator();
        var set = await Quota(userCreator).SetQuota(null, new QuotaValues(Instances: 2));
        Assert.Equal(QuotaSource.Api, set.All.Source);
        Assert.Equal(2, set.All.Max.Instances);

        var ledger = UserLedger(userCreator);
        Assert.True((await ledger.TryLock("e1", OneGig, Ttl, "shell-1")).Granted);
        Assert.True((await ledger.TryLock("e2", OneGig, Ttl, "python-python3")).Granted);
        var refused = await ledger.TryLock("e3", OneGig, Ttl, "shell-1");

        Assert.False(refused.Granted);
        Assert.Equal(["instances: needs 1, 0 left"], refused.Shortfalls);
        Assert.NotNull(refused.Quota);
        Assert.Null(refused.Quota.EngineType);
        Assert.Equal(QuotaSource.Api, refused.Quota.Source);
        Assert.Equal(["e1", "e2"], refused.Quota.Engines);
        Assert.Equal(2, refused.Quota.Used.Instances);
        Assert.Contains($"the quota of {userCreator} is full", refused.Describe(LedgerKeys.ForUserCreator(userCreator)));

        await ledger.Release("e1");
        Assert.True((await ledger.TryLock("e3", OneGig, Ttl, "shell-1")).Granted);
    }

    [Fact]
    public async Task A_quota_of_one_engine_type_limits_that_type_within_the_quota_of_all()
    {
        var userCreator = NewUserCreator();
        var quota = await Quota(userCreator).SetQuota("python-python3", new QuotaValues(Instances: 1));
        var python = Assert.Single(quota.EngineTypes);
        Assert.Equal("python-python3", python.EngineType);
        // Memory and cores the type quota leaves out are those of the quota of all types.
        Assert.Equal(quota.All.Max.Memory, python.Max.Memory);

        var ledger = UserLedger(userCreator);
        Assert.True((await ledger.TryLock("p1", OneGig, Ttl, "python-python3")).Granted);
        var refused = await ledger.TryLock("p2", OneGig, Ttl, "python-python3");
        Assert.False(refused.Granted);
        Assert.Equal("python-python3", refused.Quota!.EngineType);
        Assert.Equal(["p1"], refused.Quota.Engines);

        Assert.True((await ledger.TryLock("s1", OneGig, Ttl, "shell-1")).Granted);
    }

    [Fact]
    public async Task A_lowered_quota_stops_nothing_and_refuses_new_locks_until_it_is_deleted()
    {
        var userCreator = NewUserCreator();
        var ledger = UserLedger(userCreator);
        Assert.True((await ledger.TryLock("a", OneGig, Ttl, "shell-1")).Granted);
        Assert.True(await ledger.Confirm("a"));
        Assert.True((await ledger.TryLock("b", OneGig, Ttl, "shell-1")).Granted);

        var lowered = await Quota(userCreator).SetQuota(null, new QuotaValues(Instances: 1));

        Assert.Equal(2, lowered.All.Used.Instances);
        Assert.Equal(2, (await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot()).Tickets.Count);
        Assert.False((await ledger.TryLock("c", OneGig, Ttl, "shell-1")).Granted);

        var cleared = await Quota(userCreator).ClearQuota(null);
        Assert.Equal(QuotaSource.Default, cleared.All.Source);
        Assert.Equal(3, cleared.All.Max.Instances);
        Assert.True((await ledger.TryLock("c", OneGig, Ttl, "shell-1")).Granted);
    }

    [Fact]
    public async Task Configured_quotas_apply_by_pattern_and_a_quota_set_over_the_api_wins()
    {
        var byCreator = NewUserCreator("CFGQ");
        var configured = await Quota(byCreator).GetQuota();
        Assert.Equal(QuotaSource.Configuration, configured.All.Source);
        Assert.Equal(1, configured.All.Max.Instances);
        Assert.True((await UserLedger(byCreator).TryLock("x", OneGig, Ttl, "shell-1")).Granted);
        Assert.Equal(QuotaSource.Configuration, (await UserLedger(byCreator).TryLock("y", OneGig, Ttl, "shell-1")).Quota!.Source);

        await Quota(byCreator).SetQuota(null, new QuotaValues(Instances: 2));
        Assert.True((await UserLedger(byCreator).TryLock("y", OneGig, Ttl, "shell-1")).Granted);

        var byUser = new UserCreatorLabel("cfgtype", "C" + Guid.NewGuid().ToString("N")[..8]);
        var typed = Assert.Single((await Quota(byUser).GetQuota()).EngineTypes);
        Assert.Equal(("python-python3", 1L << 30, QuotaSource.Configuration), (typed.EngineType, typed.Max.Memory, typed.Source));
        var tooBig = await UserLedger(byUser).TryLock("big", ResourceVector.FromCores(2L << 30, 1, 1), Ttl, "python-python3");
        Assert.Equal(["memory: needs 2g, 1g left"], tooBig.Shortfalls);
        Assert.True((await UserLedger(byUser).TryLock("big", ResourceVector.FromCores(2L << 30, 1, 1), Ttl, "shell-1")).Granted);
    }

    [Fact]
    public async Task A_released_ticket_is_not_booked_again_by_a_late_lock()
    {
        var ledger = NewLedger();
        await ledger.SetMax(ResourceVector.FromCores(4L << 30, 4, 4));
        Assert.True((await ledger.TryLock("late", OneGig, Ttl)).Granted);
        await ledger.Release("late");

        var again = await ledger.TryLock("late", OneGig, Ttl);

        Assert.False(again.Granted);
        Assert.Contains("already released", Assert.Single(again.Shortfalls));
        Assert.Empty((await ledger.AsReference<IResourceLedgerGrain>().GetSnapshot()).Tickets);
    }

    [Fact]
    public async Task A_node_ledger_has_no_quota()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Grains.GetGrain<IUserQuotaGrain>(LedgerKeys.ForNode("n-" + Guid.NewGuid().ToString("N")[..8])).GetQuota());
    }
}
