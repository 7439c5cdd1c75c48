using System.Collections.Concurrent;
using System.Collections.Immutable;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// This silo's engine grains, each with the newest heartbeat its node relayed in a batch (<see cref="HeartbeatRelayGrain"/>):
/// a node tells ten thousand engines they are alive with one call per silo, not one per engine. An engine grain
/// registers on activation and unregisters on deactivation; a slot whose engine asks for calls
/// (<see cref="EngineHeartbeatSlot.WantsCalls"/>) is not written to, so its node calls it.
/// <para>
/// A running engine hands its deadlines to the board (<see cref="EngineHeartbeatSlot.Watch"/>): one sweep every
/// <see cref="SweepPeriod"/> looks at every watched slot and wakes only the engines whose heartbeats stopped for
/// <see cref="EngineOptions.HeartbeatTimeout"/> or whose own next deadline (idle timeout, lease end) has come. Ten
/// thousand running engines then hold no timer each: the runtime's timer queue scans every timer it holds, three
/// times a second, whether it is due or not.
/// </para>
/// </summary>
public sealed partial class EngineHeartbeatBoard(
    IGrainFactory grainFactory,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<EngineHeartbeatBoard> logger) : IDisposable
{
    /// <summary>How late, at most, the board wakes an engine whose deadline passed.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, EngineHeartbeatSlot> _slots = new(StringComparer.Ordinal);
    private readonly Lock _sweepLock = new();
    private ITimer? _sweep;
    private bool _disposed;

    /// <summary>Engine grains active on this silo.</summary>
    public int Count => _slots.Count;

    /// <summary>A new activation's slot; it replaces any slot left under the same id.</summary>
    public EngineHeartbeatSlot Register(string engineId)
    {
        var slot = new EngineHeartbeatSlot();
        _slots[engineId] = slot;
        EnsureSweep();
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

    public void Dispose()
    {
        lock (_sweepLock)
        {
            _disposed = true;
            _sweep?.Dispose();
        }
    }

    private void EnsureSweep()
    {
        if (Volatile.Read(ref _sweep) is not null)
        {
            return;
        }

        lock (_sweepLock)
        {
            if (!_disposed)
            {
                _sweep ??= time.CreateTimer(static board => ((EngineHeartbeatBoard)board!).Sweep(), this, SweepPeriod, SweepPeriod);
            }
        }
    }

    private void Sweep()
    {
        var now = time.GetUtcNow().UtcTicks;
        var timeout = options.Value.HeartbeatTimeout.Ticks;
        foreach (var (engineId, slot) in _slots)
        {
            if (slot.TryTakeOverdue(now, timeout))
            {
                _ = WakeAsync(engineId);
            }
        }
    }

    private async Task WakeAsync(string engineId)
    {
        try
        {
            await grainFactory.GetGrain<IEngineLifecycle>(engineId).CheckHeartbeat();
        }
        catch (Exception e)
        {
            // The activation that handed its deadlines over is gone or going: the next one arms them anew.
            LogWakeFailed(engineId, e.Message);
        }
    }

    [LoggerMessage(EventId = 1520, EventName = "EngineWakeFailed", Level = LogLevel.Warning,
        Message = "Could not wake engine {EngineId} at its deadline: {Error}")]
    private partial void LogWakeFailed(string engineId, string error);
}

/// <summary>One engine grain's place on its silo's <see cref="EngineHeartbeatBoard"/>: written by relays, read by the grain.</summary>
public sealed class EngineHeartbeatSlot
{
    private long _latestTicks;
    private long _watchedFromTicks;
    private long _wakeAtTicks = long.MaxValue;
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

    /// <summary>
    /// Hands the engine's deadlines to the board: it wakes the engine (once) when neither <paramref name="lastHeartbeat"/>
    /// nor any heartbeat relayed since is younger than the heartbeat timeout, or at <paramref name="wakeAt"/> (the
    /// engine's own next deadline: idle timeout, lease end), whichever comes first.
    /// </summary>
    public void Watch(DateTimeOffset lastHeartbeat, DateTimeOffset? wakeAt)
    {
        Interlocked.Exchange(ref _wakeAtTicks, wakeAt?.UtcTicks ?? long.MaxValue);
        Interlocked.Exchange(ref _watchedFromTicks, Math.Max(1, lastHeartbeat.UtcTicks));
    }

    /// <summary>Takes the watch back: the engine keeps its deadlines itself.</summary>
    public void Unwatch() => Interlocked.Exchange(ref _watchedFromTicks, 0);

    /// <summary>True, once per <see cref="Watch"/>, when a watched deadline has passed by <paramref name="nowTicks"/>.</summary>
    internal bool TryTakeOverdue(long nowTicks, long timeoutTicks)
    {
        var from = Interlocked.Read(ref _watchedFromTicks);
        if (from == 0 || _wantsCalls)
        {
            return false;
        }

        var heartbeatLate = nowTicks - Math.Max(from, Interlocked.Read(ref _latestTicks)) > timeoutTicks;
        if (!heartbeatLate && nowTicks < Interlocked.Read(ref _wakeAtTicks))
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _watchedFromTicks, 0, from) == from;
    }

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
