namespace Linkis.Orleans.Cli.Models;

/// <summary>One event of <c>GET /api/v1/events</c>; fields that do not apply are absent.</summary>
public sealed record LifecycleEventView
{
    public long Sequence { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Type { get; init; }
    public string? User { get; init; }
    public string? UserCreator { get; init; }
    public string? EngineType { get; init; }
    public string? EngineId { get; init; }
    public string? ExecutionId { get; init; }
    public string? Node { get; init; }
    public string? Status { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }
}
