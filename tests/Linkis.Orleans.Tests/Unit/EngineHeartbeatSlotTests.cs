using Linkis.Orleans.Grains.Engines;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>The board wakes a watched engine once its heartbeats stop for the timeout or its own deadline comes, and only then.</summary>
public sealed class EngineHeartbeatSlotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_watched_slot_is_overdue_once_past_the_timeout_from_the_engine_s_own_last_heartbeat()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: null);

        Assert.False(Overdue(slot, T0 + Timeout), "at the deadline itself the engine is not late yet");
        Assert.True(Overdue(slot, T0 + Timeout + TimeSpan.FromSeconds(1)));
        Assert.False(Overdue(slot, T0 + Timeout + TimeSpan.FromSeconds(2)), "one wake per watch: the engine re-arms it when it checks");

        slot.Watch(T0 + TimeSpan.FromSeconds(40), wakeAt: null);
        Assert.True(Overdue(slot, T0 + TimeSpan.FromSeconds(71)), "a new watch wakes again");
    }

    [Fact]
    public void A_relayed_heartbeat_postpones_the_wake()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: null);
        Assert.True(slot.TryPost((T0 + TimeSpan.FromSeconds(25)).UtcTicks));

        Assert.False(Overdue(slot, T0 + TimeSpan.FromSeconds(50)));
        Assert.True(Overdue(slot, T0 + TimeSpan.FromSeconds(56)));
    }

    [Fact]
    public void The_engine_s_own_deadline_wakes_it_while_heartbeats_still_come()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: T0 + TimeSpan.FromSeconds(10));
        Assert.True(slot.TryPost((T0 + TimeSpan.FromSeconds(9)).UtcTicks));

        Assert.False(Overdue(slot, T0 + TimeSpan.FromSeconds(9)));
        Assert.True(Overdue(slot, T0 + TimeSpan.FromSeconds(10)), "an idle timeout or lease end is due at its instant");
        Assert.False(Overdue(slot, T0 + TimeSpan.FromSeconds(11)), "once per watch");
    }

    [Fact]
    public void A_slot_that_is_not_watched_or_wants_calls_is_never_overdue()
    {
        var unwatched = Running();
        Assert.False(Overdue(unwatched, T0 + TimeSpan.FromDays(1)));

        var taken = Running();
        taken.Watch(T0, wakeAt: null);
        taken.Unwatch();
        Assert.False(Overdue(taken, T0 + TimeSpan.FromDays(1)));

        var calling = new EngineHeartbeatSlot();
        calling.Watch(T0, wakeAt: null);
        Assert.False(Overdue(calling, T0 + TimeSpan.FromDays(1)), "an engine that hears each heartbeat as a call keeps its own deadline");
    }

    private static EngineHeartbeatSlot Running() => new() { WantsCalls = false };

    private static bool Overdue(EngineHeartbeatSlot slot, DateTimeOffset now) => slot.TryTakeOverdue(now.UtcTicks, Timeout.Ticks);
}
