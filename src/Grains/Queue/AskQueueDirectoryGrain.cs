using Linkis.Orleans.Abstractions.Queue;

namespace Linkis.Orleans.Grains.Queue;

/// <summary>
/// Which user-creators have asks waiting. Kept in memory only: a queue's asks are live calls that do not outlive their
/// silos, and a queue registers again with each ask it takes in, so a lost directory fills again as asks come.
/// </summary>
public sealed class AskQueueDirectoryGrain : Grain, IAskQueueDirectoryGrain, IAskQueueDirectoryWriter
{
    private readonly SortedSet<string> _queues = new(StringComparer.Ordinal);

    public Task Register(string userCreator)
    {
        _queues.Add(userCreator);
        return Task.CompletedTask;
    }

    public Task Unregister(string userCreator)
    {
        _queues.Remove(userCreator);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<QueuedAsk>> List()
    {
        var queues = _queues.ToList();
        var lists = await Task.WhenAll(queues.Select(q => GrainFactory.GetGrain<IAskQueueGrain>(q).List()));
        for (var i = 0; i < queues.Count; i++)
        {
            if (lists[i].Count == 0)
            {
                _queues.Remove(queues[i]);
            }
        }

        return [.. lists.SelectMany(l => l)];
    }
}
