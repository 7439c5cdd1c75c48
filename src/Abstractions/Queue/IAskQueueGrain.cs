namespace Linkis.Orleans.Abstractions.Queue;

/// <summary>The asks of one user-creator (key <c>bob-ETL</c>) waiting for room to start their engines, in the order they came.</summary>
[Alias("Linkis.IAskQueueGrain")]
public interface IAskQueueGrain : IGrainWithStringKey
{
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<QueuedAsk>> List();
}
