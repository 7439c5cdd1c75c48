namespace Linkis.Orleans.Abstractions.Events;

/// <summary>
/// What one read of the event log returns: the events after the asked sequence number, oldest first, and where the
/// log stands. <see cref="Missed"/> says the reader asked for events the log no longer keeps.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.EventPage")]
public sealed record EventPage
{
    [Id(0)] public required IReadOnlyList<LinkisEvent> Events { get; init; }

    /// <summary>The sequence number of the newest event in the log (or the log's start, before its first event).</summary>
    [Id(1)] public required long Latest { get; init; }

    /// <summary>Events after the asked one were dropped from the log's window before this read.</summary>
    [Id(2)] public bool Missed { get; init; }
}
