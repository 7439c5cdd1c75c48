using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The latest info of every engine, for listing. Engines publish on every status change; the directory writes nothing
/// itself: when activated again it finds the live engines through the tickets of the user-creator ledgers, and reads
/// each engine's info from the engine. Ended engines are kept in memory for a while (the newest
/// <see cref="MaxEnded"/>) so clients can still see why they ended.
/// </summary>
public sealed class EngineDirectoryGrain(TimeProvider time) : Grain, IEngineDirectoryGrain, IEngineDirectoryWriter
{
    private const int MaxEnded = 1000;
    private readonly Dictionary<string, EngineInfo> _engines = new(StringComparer.Ordinal);
    private readonly Queue<string> _ended = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Every engine that has not ended holds a ticket, named by its id, on its user-creator's ledger.
        var ledgers = await GrainFactory.GetGrain<ILedgerDirectoryGrain>(0).List();
        var snapshots = await Task.WhenAll(ledgers
            .Where(key => !LedgerKeys.IsNodeKey(key))
            .Select(key => GrainFactory.GetGrain<IResourceLedgerGrain>(key).GetSnapshot()));
        foreach (var engine in await LiveEngineIds.ReadAlive(GrainFactory, snapshots.SelectMany(s => s.Tickets).Select(t => t.Id).Distinct(StringComparer.Ordinal)))
        {
            _engines.TryAdd(engine.EngineId, engine);
        }
    }

    public Task Publish(EngineInfo info)
    {
        var wasEnded = _engines.TryGetValue(info.EngineId, out var previous) && previous.Status.IsEnded();
        if (wasEnded && !info.Status.IsEnded())
        {
            // A late, out-of-order update from before the end.
            return Task.CompletedTask;
        }

        _engines[info.EngineId] = info;
        if (info.Status.IsEnded() && !wasEnded)
        {
            _ended.Enqueue(info.EngineId);
            while (_ended.Count > MaxEnded)
            {
                _engines.Remove(_ended.Dequeue());
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EngineInfo>> List(EngineFilter filter) =>
        Task.FromResult<IReadOnlyList<EngineInfo>>([.. _engines.Values.Where(e => filter.Matches(e, time.GetUtcNow())).OrderBy(e => e.CreatedAt)]);
}
