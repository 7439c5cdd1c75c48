namespace Linkis.Orleans.Abstractions.Queue;

/// <summary>All asks waiting for room, in every user-creator's queue (key 0).</summary>
[Alias("Linkis.IAskQueueDirectoryGrain")]
public interface IAskQueueDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The waiting asks, by user-creator and then in the order they came.</summary>
    [Alias("List")]
    Task<IReadOnlyList<QueuedAsk>> List();
}
