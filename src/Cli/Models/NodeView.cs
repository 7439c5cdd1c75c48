namespace Linkis.Orleans.Cli.Models;

public sealed record NodeView
{
    public required string Name { get; init; }
    public string? Verdict { get; init; }
    public string? VerdictReason { get; init; }
    public bool Eligible { get; init; }
    public DrainView? Drain { get; init; }
    public double? CpuUsage { get; init; }
    public double? LoadAverage1m { get; init; }
    public long? MemoryAvailable { get; init; }
    public int EnginesRunning { get; init; }
    public int EnginesBusy { get; init; }
    public int EnginesStarting { get; init; }
    public ResourcesView? Capacity { get; init; }
    public ResourcesView? Used { get; init; }
    public ResourcesView? Left { get; init; }
    public string? EngineHostKind { get; init; }
    public string? Limits { get; init; }
}

public sealed record DrainView(DateTimeOffset? StartedAt, DateTimeOffset? Deadline, string? By);
