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

    private readonly Dictionary<string, (EngineStatus Status, bool Locked, string Node)> _engines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _creating = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in await LiveEngineIds.ReadAlive(GrainFactory, state.State.Ids))
        {
            _engines[engine.EngineId] = (engine.Status, engine.Locked, engine.Node);
        }

        var alive = _engines.Keys.ToImmutableHashSet(StringComparer.Ordinal);
        if (!alive.SetEquals(state.State.Ids))
        {
            await SaveMembership(alive);
        }
    }

    public Task<PoolDecision> Acquire(bool reuse, string proposedEngineId, int maxConcurrentCreates, string[]? onNodes = null)
    {
        if (reuse)
        {
            foreach (var (engineId, entry) in _engines)
            {
                if (entry.Status == EngineStatus.Idle && !entry.Locked && (onNodes is null || onNodes.Contains(entry.Node, StringComparer.Ordinal)))
                {
                    return Task.FromResult(new PoolDecision(PoolDecisionKind.Reuse, engineId));
                }
            }
        }

        var now = time.GetUtcNow();
        foreach (var stale in _creating.Where(c => now - c.Value > CreationSlotLifetime).Select(c => c.Key).ToList())
        {
            _creating.Remove(stale);
        }

        if (_creating.Count >= maxConcurrentCreates)
        {
            return Task.FromResult(new PoolDecision(PoolDecisionKind.Wait, null));
        }

        _creating[proposedEngineId] = now;
        return Task.FromResult(new PoolDecision(PoolDecisionKind.Create, proposedEngineId));
    }

    public async Task OnEngineChanged(string engineId, EngineStatus status, bool locked, string node)
    {
        if (status.IsEnded())
        {
            _engines.Remove(engineId);
            _creating.Remove(engineId);
        }
        else if (status != EngineStatus.Starting)
        {
            _creating.Remove(engineId);
            _engines[engineId] = (status, locked, node);
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

    public async Task WaitForChange(TimeSpan timeout, CancellationToken cancellationToken)
    {
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
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
