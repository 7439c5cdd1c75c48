using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// This silo's engine grains, each with the newest heartbeat its node relayed in a batch (<see cref="HeartbeatRelayGrain"/>):
/// a node tells ten thousand engines they are alive with one call per silo, not one per engine, and each engine reads
/// its slot when its heartbeat deadline comes. An engine grain registers on activation and unregisters on deactivation;
/// a slot whose engine asks for calls (<see cref="EngineHeartbeatSlot.WantsCalls"/>) is not written to, so its node
/// calls it.
/// </summary>
public sealed class EngineHeartbeatBoard
{
    private readonly ConcurrentDictionary<string, EngineHeartbeatSlot> _slots = new(StringComparer.Ordinal);

    /// <summary>Engine grains active on this silo.</summary>
    public int Count => _slots.Count;

    /// <summary>A new activation's slot; it replaces any slot left under the same id.</summary>
    public EngineHeartbeatSlot Register(string engineId)
    {
        var slot = new EngineHeartbeatSlot();
        _slots[engineId] = slot;
        return slot;
    }

    /// <summary>Removes the slot, unless a newer activation has registered its own since.</summary>
    public void Unregister(string engineId, EngineHeartbeatSlot slot) =>
        _slots.TryRemove(new KeyValuePair<string, EngineHeartbeatSlot>(engineId, slot));

    public bool IsRegistered(string engineId) => _slots.ContainsKey(engineId);

    /// <summary>
    /// Writes <paramref name="at"/> into the slot of each of <paramref name="engineIds"/> that takes batched heartbeats,
    /// and returns the others: engines with no grain active here, and engines that want to hear each heartbeat.
    /// </summary>
    public ImmutableArray<string> Post(DateTimeOffset at, ImmutableArray<string> engineIds)
    {
        var ticks = at.UtcTicks;
        ImmutableArray<string>.Builder? unserved = null;
        foreach (var engineId in engineIds)
        {
            if (!_slots.TryGetValue(engineId, out var slot) || !slot.TryPost(ticks))
            {
                (unserved ??= ImmutableArray.CreateBuilder<string>()).Add(engineId);
            }
        }

        return unserved?.ToImmutable() ?? [];
    }
}

/// <summary>One engine grain's place on its silo's <see cref="EngineHeartbeatBoard"/>: written by relays, read by the grain.</summary>
public sealed class EngineHeartbeatSlot
{
    private long _latestTicks;
    private volatile bool _wantsCalls = true;

    /// <summary>
    /// Whether the engine must hear each heartbeat as a call (it is not simply running: Unreachable, ended, not started),
    /// so a relay leaves it to its node to call.
    /// </summary>
    public bool WantsCalls
    {
        get => _wantsCalls;
        set => _wantsCalls = value;
    }

    /// <summary>The newest heartbeat relayed to this slot, or null if none was.</summary>
    public DateTimeOffset? Latest => Interlocked.Read(ref _latestTicks) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    internal bool TryPost(long ticks)
    {
        if (_wantsCalls)
        {
            return false;
        }

        var seen = Interlocked.Read(ref _latestTicks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _latestTicks, ticks, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }

        return true;
    }
}
