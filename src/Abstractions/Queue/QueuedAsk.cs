namespace Linkis.Orleans.Abstractions.Queue;

/// <summary>Where a queued ask stands in its user-creator's line.</summary>
public enum QueuedAskState
{
    /// <summary>Trying to book its engine for the first time; it has not been refused yet.</summary>
    Trying,

    /// <summary>Refused for want of room (quota or nodes): waiting for room, in the order it came.</summary>
    Waiting,

    /// <summary>The first waiting ask, given its turn to try again because room may have appeared.</summary>
    Turn,
}

/// <summary>An ask that waits in its user-creator's queue for room to start its engine.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.QueuedAsk")]
public sealed record QueuedAsk
{
    [Id(0)] public required string AskId { get; init; }

    /// <summary>The user-creator whose queue it is in, e.g. bob-ETL.</summary>
    [Id(1)] public required string UserCreator { get; init; }

    [Id(2)] public required string EngineType { get; init; }

    /// <summary>Who asked, as the engine would record it.</summary>
    [Id(3)] public string? RequestedBy { get; init; }

    [Id(4)] public DateTimeOffset QueuedAt { get; init; }

    /// <summary>When the ask gives up: it leaves the queue then, whether or not its asker says so.</summary>
    [Id(5)] public DateTimeOffset Deadline { get; init; }

    [Id(6)] public QueuedAskState State { get; init; }

    /// <summary>1 for the ask that came first; set when the queue is listed.</summary>
    [Id(7)] public int Position { get; init; }

    /// <summary>Why it waits: the refusal of its last try.</summary>
    [Id(8)] public string? WaitingFor { get; init; }

    /// <summary>How long it has waited so far; set when the queue is listed.</summary>
    [Id(9)] public TimeSpan Waited { get; init; }
}
