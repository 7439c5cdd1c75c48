namespace Linkis.Orleans.Abstractions.Executions;

/// <summary>What a client sees of one execution.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecutionInfo")]
public sealed record ExecutionInfo
{
    /// <summary><c>{engineId}-{n}</c>: the engine's n-th execution.</summary>
    [Id(0)] public required string ExecutionId { get; init; }
    [Id(1)] public required string EngineId { get; init; }
    [Id(2)] public required ExecutionStatus Status { get; init; }

    /// <summary>The exit code of the code, once it ended (124 when it timed out); null before, or when it never ran.</summary>
    [Id(3)] public int? ExitCode { get; init; }
    [Id(4)] public required DateTimeOffset QueuedAt { get; init; }
    [Id(5)] public DateTimeOffset? StartedAt { get; init; }
    [Id(6)] public DateTimeOffset? EndedAt { get; init; }

    /// <summary>
    /// Bytes of its output its host logged (up to <c>Linkis:Node:MaxExecutionLogBytes</c>), as its host's result says;
    /// null before it ended, and when it ended without its host's result (its engine ended under it, say).
    /// </summary>
    [Id(7)] public long? StdoutBytes { get; init; }
    [Id(8)] public long? StderrBytes { get; init; }

    /// <summary>It printed more than <c>Linkis:Node:MaxExecutionLogBytes</c> on a stream: its log stops there.</summary>
    [Id(9)] public bool Truncated { get; init; }
    [Id(10)] public required TimeSpan Timeout { get; init; }

    /// <summary>Who submitted it.</summary>
    [Id(11)] public string? SubmittedBy { get; init; }

    /// <summary>Who cancelled it; null unless cancelled.</summary>
    [Id(12)] public string? CancelledBy { get; init; }

    /// <summary>Its executor did not stop for the interrupt and was killed and restarted: the engine's session state is gone.</summary>
    [Id(13)] public bool StateLost { get; init; }

    /// <summary>Why it failed without an exit code of its own (the engine ended under it, say); null otherwise.</summary>
    [Id(14)] public string? Error { get; init; }

    public bool IsFinished => Status is not (ExecutionStatus.Queued or ExecutionStatus.Running);
}
