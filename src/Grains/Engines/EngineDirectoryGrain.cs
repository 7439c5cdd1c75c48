using System.Collections.Immutable;
using Linkis.Orleans.Grains;
using Orleans.Runtime;

namespace Linkis.Orleans.Engines;

/// <summary>
/// The latest info of every engine, for listing. Engines publish on every status change; which ones are alive is
/// persisted and their info read back from them when the directory is activated again. Ended engines are kept in
/// memory for a while (the newest <see cref="MaxEnded"/>) so clients can still see why they ended.
/// </summary>
public sealed class EngineDirectoryGrain(
    [PersistentState("engineDirectory", StorageNames.Linkis)] IPersistentState<LiveEngineIds> state) : Grain, IEngineDirectoryGrain
{
    private const int MaxEnded = 1000;
    private readonly Dictionary<string, EngineInfo> _engines = new(StringComparer.Ordinal);
    private readonly Queue<string> _ended = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in await LiveEngineIds.ReadAlive(GrainFactory, state.State.Ids))
        {
            _engines[engine.EngineId] = engine;
        }

        await SaveMembership();
    }

    public async Task Publish(EngineInfo info)
    {
        var wasEnded = _engines.TryGetValue(info.EngineId, out var previous) && previous.Status.IsEnded();
        if (wasEnded && !info.Status.IsEnded())
        {
            // A late, out-of-order update from before the end.
            return;
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

        if (info.Status.IsEnded() == state.State.Ids.Contains(info.EngineId))
        {
            await SaveMembership();
        }
    }

    public Task<IReadOnlyList<EngineInfo>> List(EngineFilter filter) =>
        Task.FromResult<IReadOnlyList<EngineInfo>>([.. _engines.Values
            .Where(e => filter.User is null || e.User == filter.User)
            .Where(e => filter.EngineType is null || e.EngineType == filter.EngineType)
            .Where(e => filter.Status is null || e.Status == filter.Status)
            .Where(e => filter.Node is null || e.Node == filter.Node)
            .OrderBy(e => e.CreatedAt)]);

    private async Task SaveMembership()
    {
        var ids = _engines.Values.Where(e => !e.Status.IsEnded()).Select(e => e.EngineId).ToImmutableHashSet(StringComparer.Ordinal);
        if (!ids.SetEquals(state.State.Ids))
        {
            state.State = new LiveEngineIds(ids);
            await state.WriteStateAsync();
        }
    }
}
