namespace Linkis.Orleans.Cli.Models;

public sealed record ExecutionView
{
    public required string ExecutionId { get; init; }
    public string? EngineId { get; init; }
    public required string Status { get; init; }
    public int? ExitCode { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public double? TimeoutSeconds { get; init; }
    public long? StdoutBytes { get; init; }
    public long? StderrBytes { get; init; }
    public bool Truncated { get; init; }
    public string? SubmittedBy { get; init; }
    public string? CancelledBy { get; init; }
    public bool StateLost { get; init; }
    public string? Error { get; init; }

    public bool IsFinished => Status is "Succeeded" or "Failed" or "Cancelled" or "TimedOut";
}
