namespace Linkis.Orleans.Abstractions.Events;

/// <summary>
/// The cluster's lifecycle event log: one activation keeps the last <c>Linkis:Events:Retained</c> events in memory and
/// hands them to readers who long-poll it. A restart of its silo loses the window, not the numbering: sequence numbers
/// keep growing.
/// </summary>
[Alias("Linkis.IEventLogGrain")]
public interface IEventLogGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds events, in the order given; the log numbers them. Each silo sends its own events in one queue, one batch
    /// at a time (see <c>ILinkisEventPublisher</c>), since Orleans keeps no order between calls in flight.
    /// </summary>
    [Alias("Publish")]
    Task Publish(IReadOnlyList<LinkisEvent> events);

    /// <summary>
    /// Where a reader starts to get the newest <paramref name="backlog"/> events the log keeps, then what comes: the
    /// sequence number to read after.
    /// </summary>
    [Alias("StartAt"), AlwaysInterleave]
    Task<long> StartAt(int backlog);

    /// <summary>
    /// The events after <paramref name="after"/> (at most <paramref name="max"/>), oldest first, waiting up to
    /// <paramref name="wait"/> for one when there are none yet.
    /// </summary>
    [Alias("Read"), AlwaysInterleave]
    Task<EventPage> Read(long after, int max, TimeSpan wait);
}
