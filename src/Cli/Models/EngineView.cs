namespace Linkis.Orleans.Cli.Models;

public sealed record EngineView
{
    public required string EngineId { get; init; }
    public required string Status { get; init; }
    public string? Node { get; init; }
    public string? UserCreator { get; init; }
    public string? EngineType { get; init; }
    public int? Pid { get; init; }
    public bool? Reused { get; init; }
    public bool Job { get; init; }
    public bool Locked { get; init; }
    public ResourcesView? Resources { get; init; }
    public long ExecutionCount { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public EndReasonView? EndReason { get; init; }
}

public sealed record EndReasonView(string? Kind, string? Message, string? By, int? ExitCode);
