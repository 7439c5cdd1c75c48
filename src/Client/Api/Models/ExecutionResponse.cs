using Linkis.Orleans.Abstractions.Executions;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>One execution, as the API shows it.</summary>
public sealed record ExecutionResponse
{
    /// <summary><c>{engineId}-{n}</c>: the engine's n-th execution.</summary>
    public required string ExecutionId { get; init; }
    public required string EngineId { get; init; }
    public required ExecutionStatus Status { get; init; }

    /// <summary>The code's exit code once it ended (124: timed out); absent before, or when it never ran.</summary>
    public int? ExitCode { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public required double TimeoutSeconds { get; init; }

    /// <summary>Bytes its streams logged, counted when it ends (up to <c>Linkis:Node:MaxExecutionLogBytes</c>); its output endpoint reads them as they come.</summary>
    public required long? StdoutBytes { get; init; }
    public required long? StderrBytes { get; init; }

    /// <summary>A stream printed more than <c>Linkis:Node:MaxExecutionLogBytes</c>: its log stops there.</summary>
    public required bool Truncated { get; init; }
    public string? SubmittedBy { get; init; }

    /// <summary>Who cancelled it; absent unless cancelled.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>It did not stop for its interrupt within <c>Linkis:Engines:CancelGrace</c>: the executor was restarted and the engine's session state is gone.</summary>
    public required bool StateLost { get; init; }

    /// <summary>Why it failed without an exit code of its own (the engine ended under it, say).</summary>
    public string? Error { get; init; }

    public static ExecutionResponse From(ExecutionInfo e) => new()
    {
        ExecutionId = e.ExecutionId,
        EngineId = e.EngineId,
        Status = e.Status,
        ExitCode = e.ExitCode,
        QueuedAt = e.QueuedAt,
        StartedAt = e.StartedAt,
        EndedAt = e.EndedAt,
        TimeoutSeconds = e.Timeout.TotalSeconds,
        StdoutBytes = e.StdoutBytes,
        StderrBytes = e.StderrBytes,
        Truncated = e.Truncated,
        SubmittedBy = e.SubmittedBy,
        CancelledBy = e.CancelledBy,
        StateLost = e.StateLost,
        Error = e.Error,
    };
}

/// <summary>The data of an <c>output</c> event of <c>GET /api/v1/executions/{id}/output</c> as Server-Sent Events.</summary>
public sealed record OutputEventResponse
{
    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    public required string Stream { get; init; }

    /// <summary>The byte offset in its stream where this text begins.</summary>
    public required long Offset { get; init; }

    public required string Text { get; init; }
}
