namespace Linkis.Orleans.Grains.Options;

/// <summary>The lifecycle event log (<c>GET /api/v1/events</c>). Section <c>Linkis:Events</c>.</summary>
public sealed class EventOptions
{
    public const string SectionName = "Linkis:Events";

    public const int MinRetained = 100;
    public const int MaxRetained = 1_000_000;

    /// <summary>How many of the newest events the log keeps for readers that resume (<c>Last-Event-ID</c>) or look back.</summary>
    public int Retained { get; set; } = 10_000;

    /// <summary>
    /// Also send every event on the Orleans stream <c>LinkisEventStream</c> (memory streams, their subscriptions in
    /// memory too), for Orleans clients that subscribe. Off unless asked for: its queues are polled on every silo,
    /// and each event is one more grain call. Read when the silo is built.
    /// </summary>
    public bool OrleansStream { get; set; }
}
