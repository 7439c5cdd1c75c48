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
/// A running engine hands its deadlines to the board (<see cref="EngineHeartbeatSlot.Watch"/>), which wakes it when its
/// heartbeats have stopped for <see cref="EngineOptions.HeartbeatTimeout"/> or its own next deadline (idle timeout,
/// lease end) has come. Ten thousand running engines then hold no timer each: the runtime's timer queue walks every
/// timer it holds, three times a second, whether it is due or not. The board keeps watched slots on a wheel of
/// one-second buckets, each slot in the bucket of the second it is next due, and one sweep every
/// <see cref="SweepPeriod"/> looks only at the bucket that came due: a slot whose heartbeats still come is looked at
/// about once per heartbeat timeout, not every second.
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

    // A slot due further ahead waits in the last bucket of the turn and is placed again when that comes.
    private const int WheelSeconds = 64;

    private readonly ConcurrentDictionary<string, EngineHeartbeatSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(EngineHeartbeatSlot Slot, long Watch)>[] _wheel =
        [.. Enumerable.Range(0, WheelSeconds).Select(_ => new ConcurrentQueue<(EngineHeartbeatSlot, long)>())];
    private long _sweptThrough = time.GetUtcNow().UtcTicks / TimeSpan.TicksPerSecond - 1;
    private readonly Lock _sweepLock = new();
    private ITimer? _sweep;
    private bool _disposed;

    /// <summary>Engine grains active on this silo.</summary>
    public int Count => _slots.Count;

    /// <summary>A new activation's slot; it replaces any slot left under the same id.</summary>
    public EngineHeartbeatSlot Register(string engineId)
    {
        var slot = new EngineHeartbeatSlot(this, engineId);
        _slots[engineId] = slot;
        EnsureSweep();
        return slot;
    }

    /// <summary>Removes the slot, unless a newer activation has registered its own since; a gone activation is woken no more.</summary>
    public void Unregister(string engineId, EngineHeartbeatSlot slot)
    {
        slot.Unwatch();
        _slots.TryRemove(new KeyValuePair<string, EngineHeartbeatSlot>(engineId, slot));
    }

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

    /// <summary>Puts the slot's current watch in the bucket of the second it is next due, within this turn of the wheel.</summary>
    internal void Schedule(EngineHeartbeatSlot slot, long watch)
    {
        if (slot.DueTicks(options.Value.HeartbeatTimeout.Ticks) is { } due)
        {
            Place(slot, watch, due);
        }
    }

    private void Place(EngineHeartbeatSlot slot, long watch, long dueTicks)
    {
        var swept = Volatile.Read(ref _sweptThrough);
        var second = Math.Clamp((dueTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond, swept + 1, swept + WheelSeconds - 1);
        _wheel[(int)(second % WheelSeconds)].Enqueue((slot, watch));
    }

    private void Sweep()
    {
        var nowTicks = time.GetUtcNow().UtcTicks;
        var nowSecond = nowTicks / TimeSpan.TicksPerSecond;
        var from = Volatile.Read(ref _sweptThrough) + 1;
        if (nowSecond < from)
        {
            return;
        }

        // Claimed before the buckets are read: a slot placed from now on goes to a second not swept yet.
        Volatile.Write(ref _sweptThrough, nowSecond);
        var timeout = options.Value.HeartbeatTimeout.Ticks;
        for (var second = Math.Max(from, nowSecond - WheelSeconds + 1); second <= nowSecond; second++)
        {
            var bucket = _wheel[(int)(second % WheelSeconds)];
            // Nothing is placed again in this second's own bucket (a slot due later goes 1 to 63 s ahead), so it is read
            // until empty, a slot placed in it just as the sweep began included. The bucket of a second the sweep catches
            // up on (it ran late) may take slots placed again for a later second: only those it held are read.
            var entries = second == nowSecond ? int.MaxValue : bucket.Count;
            for (var read = 0; read < entries && bucket.TryDequeue(out var entry); read++)
            {
                Visit(entry.Slot, entry.Watch, nowTicks, timeout);
            }
        }
    }

    private void Visit(EngineHeartbeatSlot slot, long watch, long nowTicks, long timeoutTicks)
    {
        // A slot watched anew has a newer entry on the wheel; one taken back has none to keep.
        if (slot.CurrentWatch != watch || slot.DueTicks(timeoutTicks) is not { } due)
        {
            return;
        }

        if (due > nowTicks)
        {
            // Heartbeats came meanwhile: due later.
            Place(slot, watch, due);
        }
        else if (slot.TryTake(watch))
        {
            _ = WakeAsync(slot.EngineId);
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
    private readonly EngineHeartbeatBoard? _board;
    private long _latestTicks;
    private long _watchedFromTicks;
    private long _wakeAtTicks = long.MaxValue;
    private long _watch;
    private volatile bool _wantsCalls = true;

    /// <summary>A slot of no board: its watch is never swept (for tests of the slot alone).</summary>
    public EngineHeartbeatSlot()
        : this(null, "")
    {
    }

    internal EngineHeartbeatSlot(EngineHeartbeatBoard? board, string engineId)
    {
        _board = board;
        EngineId = engineId;
    }

    public string EngineId { get; }

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

    /// <summary>Which of its watches is current: each <see cref="Watch"/>, <see cref="Unwatch"/> and take makes a new one.</summary>
    internal long CurrentWatch => Interlocked.Read(ref _watch);

    /// <summary>
    /// Hands the engine's deadlines to the board: it wakes the engine (once) when neither <paramref name="lastHeartbeat"/>
    /// nor any heartbeat relayed since is younger than the heartbeat timeout, or at <paramref name="wakeAt"/> (the
    /// engine's own next deadline: idle timeout, lease end), whichever comes first.
    /// </summary>
    public void Watch(DateTimeOffset lastHeartbeat, DateTimeOffset? wakeAt)
    {
        Interlocked.Exchange(ref _wakeAtTicks, wakeAt?.UtcTicks ?? long.MaxValue);
        Interlocked.Exchange(ref _watchedFromTicks, Math.Max(1, lastHeartbeat.UtcTicks));
        var watch = Interlocked.Increment(ref _watch);
        _board?.Schedule(this, watch);
    }

    /// <summary>Takes the watch back: the engine keeps its deadlines itself.</summary>
    public void Unwatch()
    {
        Interlocked.Exchange(ref _watchedFromTicks, 0);
        Interlocked.Increment(ref _watch);
    }

    /// <summary>
    /// When the current watch is due: the first instant past the heartbeat timeout since the newest heartbeat, or the
    /// engine's own deadline if that is sooner; null when nothing is watched or the engine hears each heartbeat as a call.
    /// </summary>
    internal long? DueTicks(long timeoutTicks)
    {
        var from = Interlocked.Read(ref _watchedFromTicks);
        if (from == 0 || _wantsCalls)
        {
            return null;
        }

        return Math.Min(Math.Max(from, Interlocked.Read(ref _latestTicks)) + timeoutTicks + 1, Interlocked.Read(ref _wakeAtTicks));
    }

    /// <summary>Ends <paramref name="watch"/> if it is still the current one: true once, for the one wake it earns.</summary>
    internal bool TryTake(long watch)
    {
        // The watched times stay as they are: an engine may be watching anew already, with its own.
        return Interlocked.CompareExchange(ref _watch, watch + 1, watch) == watch;
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
