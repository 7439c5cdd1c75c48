using System.Collections.Immutable;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The engines of one <c>userCreator + engineType</c> key. Engines report every status change here; which engines
/// are alive is persisted (it changes only when one starts or ends), their statuses are read back from the engines
/// when the pool is activated again. An AppManager checks the engine itself before handing it out, so a stale entry
/// costs a retry, never a wrong answer.
/// </summary>
public sealed class EnginePoolGrain(
    [PersistentState("pool", StorageNames.Linkis)] IPersistentState<LiveEngineIds> state,
    TimeProvider time) : Grain, IEnginePoolGrain
{
    // A reserved creation slot that nobody confirmed or cancelled (its asker died) is given back after this long:
    // the longest an ask may take.
    private static readonly TimeSpan CreationSlotLifetime = TimeSpan.Parse(ServiceLimits.AskCallTimeout, System.Globalization.CultureInfo.InvariantCulture);

    private readonly Dictionary<string, PooledEngine> _engines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _creating = new(StringComparer.Ordinal);

    // Lease asks waiting for an engine of the key, in the order they came, each until its deadline.
    private readonly List<(string AskId, DateTimeOffset Deadline)> _leaseQueue = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in await LiveEngineIds.ReadAlive(GrainFactory, state.State.Ids))
        {
            _engines[engine.EngineId] = new PooledEngine(engine.Status, engine.Locked, engine.Node, engine.WarmPool is not null);
        }

        var alive = _engines.Keys.ToImmutableHashSet(StringComparer.Ordinal);
        if (!alive.SetEquals(state.State.Ids))
        {
            await SaveMembership(alive);
        }
    }

    /// <summary>
    /// Reuse → an idle, unleased engine on an allowed node: shared by any number of asks; for a lease ask only once it is
    /// first in the lease queue. Otherwise an ask that has waited keeps waiting while the key has engines that may come
    /// free (a burst is handed the engine it waited for, in turn, instead of starting its own); else a creation slot,
    /// if fewer than the most allowed are starting (an ask that does not reuse always gets one); else wait (and a lease
    /// ask joins the queue).
    /// </summary>
    public Task<PoolDecision> Acquire(PoolRequest request)
    {
        var now = time.GetUtcNow();
        _leaseQueue.RemoveAll(w => w.Deadline <= now);
        foreach (var stale in _creating.Where(c => now - c.Value > CreationSlotLifetime).Select(c => c.Key).ToList())
        {
            _creating.Remove(stale);
        }

        if (request.Reuse)
        {
            var inTurn = !request.Exclusive || _leaseQueue.Count == 0 || _leaseQueue[0].AskId == request.AskId;
            if (inTurn && FreeEngine(request.OnNodes) is { } engineId)
            {
                var warm = _engines[engineId].Warm;
                if (warm)
                {
                    // Out of the reserve from now on: the asks after this one share it as any idle engine.
                    _engines[engineId] = _engines[engineId] with { Warm = false };
                }

                return Task.FromResult(new PoolDecision(PoolDecisionKind.Reuse, engineId) { FromWarmPool = warm });
            }

            if (!inTurn || (request.Waited && MayComeFree(request.OnNodes)))
            {
                return Task.FromResult(Wait(request));
            }
        }

        // The cap keeps reusing asks from starting duplicates of an engine that is on its way; an ask for an engine of
        // its own (reuse false) starts one whatever else is starting.
        if (request.Reuse && _creating.Count >= request.MaxConcurrentCreates)
        {
            return Task.FromResult(Wait(request));
        }

        _creating[request.ProposedEngineId] = now;
        return Task.FromResult(new PoolDecision(PoolDecisionKind.Create, request.ProposedEngineId));
    }

    public Task Leave(string askId)
    {
        if (_leaseQueue.RemoveAll(w => w.AskId == askId) > 0)
        {
            Signal();
        }

        return Task.CompletedTask;
    }

    private PoolDecision Wait(PoolRequest request)
    {
        if (request.Reuse && request.Exclusive && !_leaseQueue.Exists(w => w.AskId == request.AskId))
        {
            _leaseQueue.Add((request.AskId, request.Deadline));
        }

        return new PoolDecision(PoolDecisionKind.Wait, null) { Version = _version };
    }

    /// <summary>An idle, unleased engine on an allowed node: one already handed out before one of a warm pool's reserve.</summary>
    private string? FreeEngine(string[]? onNodes)
    {
        string? warm = null;
        foreach (var (id, engine) in _engines)
        {
            if (engine.Status == EngineStatus.Idle && !engine.Locked && Allowed(engine.Node, onNodes))
            {
                if (!engine.Warm)
                {
                    return id;
                }

                warm ??= id;
            }
        }

        return warm;
    }

    /// <summary>An engine of the key is starting, or runs (busy or leased) on an allowed node: it may come free.</summary>
    private bool MayComeFree(string[]? onNodes) =>
        _creating.Count > 0 || _engines.Values.Any(e => e.Status.IsRunning() && Allowed(e.Node, onNodes));

    private static bool Allowed(string node, string[]? onNodes) => onNodes is null || onNodes.Contains(node, StringComparer.Ordinal);

    public async Task OnEngineChanged(string engineId, EngineStatus status, bool locked, string node, bool warm, bool stepsAside)
    {
        if (status.IsEnded() || stepsAside)
        {
            _engines.Remove(engineId);
            _creating.Remove(engineId);
        }
        else if (status != EngineStatus.Starting)
        {
            _creating.Remove(engineId);
            _engines[engineId] = new PooledEngine(status, locked, node, warm);
        }

        Signal();
        // Engines still starting are not saved: they announce themselves again when they are ready.
        var ids = _engines.ContainsKey(engineId) ? state.State.Ids.Add(engineId) : state.State.Ids.Remove(engineId);
        await SaveMembership(ids);
    }

    public Task CancelCreation(string engineId)
    {
        _creating.Remove(engineId);
        Signal();
        return Task.CompletedTask;
    }

    public async Task WaitForChange(long seen, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (seen != _version)
        {
            // It changed between the decision to wait and this call: a wake-up that must not be missed.
            return;
        }

        try
        {
            await _changed.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    public Task<IReadOnlyDictionary<string, EngineStatus>> ListEngines() =>
        Task.FromResult<IReadOnlyDictionary<string, EngineStatus>>(
            _engines.ToDictionary(e => e.Key, e => e.Value.Status, StringComparer.Ordinal)
                .Concat(_creating.Keys.Where(k => !_engines.ContainsKey(k)).Select(k => KeyValuePair.Create(k, EngineStatus.Starting)))
                .ToDictionary(StringComparer.Ordinal));

    /// <summary>Saves which engines are alive, when that changed (an immutable set returns itself when unchanged).</summary>
    private async Task SaveMembership(ImmutableHashSet<string> ids)
    {
        if (!ReferenceEquals(ids, state.State.Ids))
        {
            state.State = new LiveEngineIds(ids);
            await state.WriteStateAsync();
        }
    }

    private void Signal()
    {
        _version++;
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
