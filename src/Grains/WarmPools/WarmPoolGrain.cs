using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.WarmPools;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.WarmPools;

/// <summary>
/// One warm pool (a <c>Linkis:WarmPool</c> entry, key <c>alice-IDE/shell-1</c>): keeps <c>MinIdle</c> engines of its
/// user-creator and engine type started and idle in reserve, so that an ask finds one to reuse.
/// <code>
///        Keep, or Changed (one of its reserve handed out or ended), reserve + starting &lt; MinIdle
///   Full ──────────────────────────────────────────────────────────────────▶ Filling ──answered with an engine──▶ Full
///    ▲ │ reserve above MaxIdle, or its quota over what it allows: stop the newest     │ refused (quota, no node,
///    │ ◀┘                                                                            ▼  start failed)
///    └────────────────────────────── Keep, Changed, or its retry ────────────── Blocked
/// </code>
/// Its engines are ordinary engines that start with the pool's key: booked on the user-creator's quota like any, not
/// idle-reaped while in reserve, and out of the reserve once an ask is handed one (an engine pool hands out the engines
/// already handed out first), which tells this grain to start another. Which engines it started is saved, so after a
/// silo restart it finds its reserve among the re-attached engines. Reentrant, so it answers while an engine starts;
/// one refill runs at a time, and a change during one runs it again.
/// </summary>
[Reentrant]
public sealed partial class WarmPoolGrain(
    [PersistentState("warmPool", StorageNames.Linkis)] IPersistentState<WarmPoolState> state,
    IOptions<WarmPoolOptions> options,
    ILinkisEventPublisher events,
    TimeProvider time,
    ILogger<WarmPoolGrain> logger) : Grain, IWarmPoolGrain, IWarmPool
{
    /// <summary>Who its engines record as having asked for them.</summary>
    public const string AskedBy = "warm-pool";

    // A blocked pool tries again this soon, besides at each keep: a node that had not reported yet usually has by then.
    private static readonly TimeSpan BlockedRetry = TimeSpan.FromSeconds(2);

    // A handout's refill waits this long, so the start it makes does not compete with the answer to the ask that was
    // handed the engine (on a small node that start's CPU doubled the ask's latency).
    private static readonly TimeSpan RefillDelay = TimeSpan.FromMilliseconds(200);

    private Task _refilling = Task.CompletedTask;
    private bool _again;
    private int _starting;
    private string? _lastError;
    private DateTimeOffset? _lastRefillAt;
    private IGrainTimer? _refillLater;

    private string Key => this.GetPrimaryKeyString();

    public Task<bool> Keep()
    {
        Refill();
        // An entry that is gone still needs keeping while it has engines to stop.
        return Task.FromResult(options.Value.Find(Key) is not null || !state.State.Engines.IsEmpty);
    }

    public Task Changed(string engineId)
    {
        RefillIn(RefillDelay);
        return Task.CompletedTask;
    }

    public Task<WarmPoolInfo?> GetInfo()
    {
        if (options.Value.Find(Key) is not { } entry)
        {
            return Task.FromResult<WarmPoolInfo?>(null);
        }

        return Task.FromResult<WarmPoolInfo?>(new WarmPoolInfo
        {
            UserCreator = entry.UserCreator,
            EngineType = entry.EngineType,
            MinIdle = entry.MinIdle,
            MaxIdle = entry.MostIdle,
            Status = StatusOf(entry),
            Engines = state.State.Engines,
            Starting = _starting,
            HandedOut = state.State.HandedOut,
            LastError = _lastError,
            LastRefillAt = _lastRefillAt,
        });
    }

    /// <summary>Read from what it holds, not kept: a refill under way may have just counted a handout.</summary>
    private WarmPoolStatus StatusOf(WarmPoolEntry entry) =>
        state.State.Engines.Count >= entry.MinIdle ? WarmPoolStatus.Full
        : _starting == 0 && _lastError is not null ? WarmPoolStatus.Blocked
        : WarmPoolStatus.Filling;

    private void Refill()
    {
        if (!_refilling.IsCompleted)
        {
            _again = true;
            return;
        }

        _refilling = RefillUntilSettled();
    }

    private async Task RefillUntilSettled()
    {
        do
        {
            _again = false;
            try
            {
                await RefillOnce();
            }
            catch (Exception e) when (TransientFailures.IsTransient(e))
            {
                Block(TransientFailures.Describe(e));
            }
        }
        while (_again);
    }

    private async Task RefillOnce()
    {
        var reserve = await ReadReserve();
        if (options.Value.Find(Key) is not { } entry)
        {
            // Its entry was removed from the configuration: nothing is to be kept in reserve any more.
            await Stop(reserve, reserve.Count, "its Linkis:WarmPool entry was removed");
            return;
        }

        await Shrink(entry, reserve);
        if (reserve.Count < entry.MinIdle)
        {
            await AdoptStrays(entry, reserve);
        }

        while (reserve.Count < entry.MinIdle)
        {
            _starting++;
            AskResult result;
            try
            {
                result = await GrainFactory.GetGrain<IAppManagerGrain>(0).Ask(AskOf(entry), CancellationToken.None);
            }
            finally
            {
                _starting--;
            }

            if (result.Engine is not { } engine)
            {
                Block(result.Error?.Detail ?? "the ask was answered without an engine");
                return;
            }

            reserve.Add(engine);
            await Save(state.State with { Engines = state.State.Engines.Add(engine.EngineId) });
            LogEngineReserved(Key, engine.EngineId, reserve.Count, entry.MinIdle);
            events.Publish(new LinkisEvent
            {
                At = time.GetUtcNow(),
                Type = LinkisEventTypes.WarmPoolRefilled,
                User = engine.User,
                UserCreator = entry.UserCreator,
                EngineType = entry.EngineType,
                EngineId = engine.EngineId,
                Node = engine.Node,
                Message = $"{reserve.Count} of {entry.MinIdle} engines in reserve",
            });
        }

        _lastError = null;
        _lastRefillAt = time.GetUtcNow();
    }

    private static EngineAsk AskOf(WarmPoolEntry entry) => new()
    {
        Labels = new Dictionary<string, string?> { [LabelKeys.UserCreator] = entry.UserCreator, [LabelKeys.EngineType] = entry.EngineType },
        Properties = entry.Properties,
        Reuse = false,
        // A pool with no room is Blocked and tries again soon: it takes no place in the queue of the asks it serves.
        Queue = false,
        Timeout = TimeSpan.FromSeconds(ServiceLimits.DefaultAskTimeoutSeconds),
        RequestedBy = AskedBy,
        WarmPool = WarmPoolKeys.For(entry.UserCreator, entry.EngineType),
    };

    /// <summary>Its saved engines that are still in reserve, oldest first; those handed out since are counted and forgotten.</summary>
    private async Task<List<EngineInfo>> ReadReserve()
    {
        var saved = state.State.Engines;
        var infos = await Task.WhenAll(saved.Select(id => GrainFactory.GetGrain<IEngineConnGrain>(id).GetInfo()));
        var reserve = infos.OfType<EngineInfo>().Where(e => e.WarmPool is not null && !e.Status.IsEnded()).ToList();
        var handedOut = infos.Count(e => e is { WarmPool: null });
        if (reserve.Count != saved.Count)
        {
            await Save(state.State with
            {
                Engines = [.. reserve.Select(e => e.EngineId)],
                HandedOut = state.State.HandedOut + handedOut,
            });
        }

        return reserve;
    }

    /// <summary>
    /// Takes back engines started for this pool that it never saved (its save failed, or its silo died while the start
    /// was under way): they are in reserve, so no idle timeout would ever end them.
    /// </summary>
    private async Task AdoptStrays(WarmPoolEntry entry, List<EngineInfo> reserve)
    {
        var userCreator = UserCreatorOf(entry);
        var listed = await GrainFactory.GetGrain<IEngineDirectoryGrain>(0).List(new EngineFilter(User: userCreator.User, EngineType: entry.EngineType) { Creator = userCreator.Creator });
        var strays = listed.Where(e => e.WarmPool == Key && !e.Status.IsEnded() && !state.State.Engines.Contains(e.EngineId)).ToList();
        if (strays.Count == 0)
        {
            return;
        }

        reserve.AddRange(strays);
        await Save(state.State with { Engines = state.State.Engines.AddRange(strays.Select(e => e.EngineId)) });
        foreach (var stray in strays)
        {
            LogEngineReserved(Key, stray.EngineId, reserve.Count, entry.MinIdle);
        }
    }

    private UserCreatorLabel UserCreatorOf(WarmPoolEntry entry) =>
        UserCreatorLabel.TryParse(entry.UserCreator, out var label, out _) ? label : throw new InvalidOperationException($"{Key}: '{entry.UserCreator}' is not a user-creator");

    /// <summary>Stops the newest of the reserve while it is above <c>MaxIdle</c> or its user-creator's quota is over.</summary>
    private async Task Shrink(WarmPoolEntry entry, List<EngineInfo> reserve)
    {
        if (reserve.Count == 0)
        {
            return;
        }

        var quota = await GrainFactory.GetGrain<IUserQuotaGrain>(LedgerKeys.ForUserCreator(UserCreatorOf(entry))).GetQuota();
        var limits = quota.EngineTypes.Where(t => t.EngineType == entry.EngineType).Prepend(quota.All).ToList();
        var used = limits.Select(l => l.Used).ToArray();
        var overQuota = 0;
        for (var i = reserve.Count - 1; i >= 0 && Enumerable.Range(0, limits.Count).Any(k => !used[k].FitsWithin(limits[k].Max)); i--)
        {
            overQuota++;
            for (var k = 0; k < used.Length; k++)
            {
                used[k] = used[k].SubtractOrZero(reserve[i].Resources);
            }
        }

        var aboveMax = reserve.Count - overQuota - entry.MostIdle;
        if (overQuota > 0)
        {
            await Stop(reserve, overQuota, $"{limits[0].Name} is lower than what its engines hold");
        }

        if (aboveMax > 0)
        {
            await Stop(reserve, aboveMax, $"it holds more than its MaxIdle of {entry.MostIdle}");
        }
    }

    /// <summary>Stops the newest <paramref name="count"/> engines of the reserve, and forgets them.</summary>
    private async Task Stop(List<EngineInfo> reserve, int count, string why)
    {
        for (var stopped = 0; stopped < count && reserve.Count > 0; stopped++)
        {
            var engine = reserve[^1];
            LogEngineStopped(Key, engine.EngineId, why);
            await GrainFactory.GetGrain<IEngineConnGrain>(engine.EngineId).Kill($"{AskedBy} ({why})");
            reserve.RemoveAt(reserve.Count - 1);
            await Save(state.State with { Engines = state.State.Engines.Remove(engine.EngineId) });
        }
    }

    private void Block(string why)
    {
        _lastError = why;
        _lastRefillAt = time.GetUtcNow();
        LogBlocked(Key, why, BlockedRetry.TotalSeconds);
        RefillIn(BlockedRetry);
    }

    private void RefillIn(TimeSpan delay)
    {
        _refillLater ??= this.RegisterGrainTimer(() =>
        {
            Refill();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _refillLater.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private async Task Save(WarmPoolState next)
    {
        state.State = next;
        await state.WriteStateAsync();
    }
}
