using Linkis.Orleans.Grains.Engines;

namespace Linkis.Orleans.Tests.Unit;

/// <summary>
/// When the board wakes a watched engine: once its heartbeats stopped for the timeout or its own deadline came, once
/// per watch, and never while it is not watched.
/// </summary>
public sealed class EngineHeartbeatSlotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_watched_slot_is_due_just_past_the_timeout_from_the_engine_s_own_last_heartbeat_and_wakes_once_per_watch()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: null);

        Assert.Equal((T0 + Timeout).UtcTicks + 1, slot.DueTicks(Timeout.Ticks));
        var watch = slot.CurrentWatch;
        Assert.True(slot.TryTake(watch));
        Assert.False(slot.TryTake(watch), "one wake per watch: the engine watches anew when it checks");

        slot.Watch(T0 + TimeSpan.FromSeconds(40), wakeAt: null);
        Assert.True(slot.TryTake(slot.CurrentWatch), "a new watch wakes again");
    }

    [Fact]
    public void A_relayed_heartbeat_makes_it_due_later()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: null);
        Assert.True(slot.TryPost((T0 + TimeSpan.FromSeconds(25)).UtcTicks));

        Assert.Equal((T0 + TimeSpan.FromSeconds(55)).UtcTicks + 1, slot.DueTicks(Timeout.Ticks));
    }

    [Fact]
    public void The_engine_s_own_deadline_is_due_at_its_instant_while_heartbeats_still_come()
    {
        var slot = Running();
        slot.Watch(T0, wakeAt: T0 + TimeSpan.FromSeconds(10));
        Assert.True(slot.TryPost((T0 + TimeSpan.FromSeconds(9)).UtcTicks));

        Assert.Equal((T0 + TimeSpan.FromSeconds(10)).UtcTicks, slot.DueTicks(Timeout.Ticks));
    }

    [Fact]
    public void A_watch_taken_back_or_replaced_is_never_woken()
    {
        var taken = Running();
        taken.Watch(T0, wakeAt: null);
        var old = taken.CurrentWatch;
        taken.Unwatch();
        Assert.Null(taken.DueTicks(Timeout.Ticks));
        Assert.False(taken.TryTake(old));

        var replaced = Running();
        replaced.Watch(T0, wakeAt: null);
        var first = replaced.CurrentWatch;
        replaced.Watch(T0 + TimeSpan.FromSeconds(5), wakeAt: null);
        Assert.False(replaced.TryTake(first), "the board's entry for the first watch is stale once the engine watches anew");

        var calling = new EngineHeartbeatSlot();
        calling.Watch(T0, wakeAt: null);
        Assert.Null(calling.DueTicks(Timeout.Ticks));
    }

    private static EngineHeartbeatSlot Running() => new() { WantsCalls = false };
}
