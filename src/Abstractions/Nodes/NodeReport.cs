using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>A worker node's health and load, pushed by its node manager and read when choosing a node.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeReport")]
public sealed record NodeReport
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Silo { get; init; }
    [Id(2)] public required bool Healthy { get; init; }
    [Id(3)] public string? HealthMessage { get; init; }
    [Id(4)] public int CpuCount { get; init; }
    [Id(5)] public double LoadAverage1m { get; init; }
    [Id(6)] public long MemoryTotal { get; init; }
    [Id(7)] public long MemoryAvailable { get; init; }
    [Id(8)] public long DiskFree { get; init; }
    [Id(9)] public int EnginesRunning { get; init; }
    [Id(10)] public int EnginesStarting { get; init; }
    [Id(11)] public required ResourceVector Capacity { get; init; }
    [Id(12)] public required ResourceVector Used { get; init; }
    [Id(13)] public required ResourceVector Locked { get; init; }
    [Id(14)] public required string EngineHostKind { get; init; }
    [Id(15)] public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>How the node enforces what its engines booked: one of <see cref="LimitsEnforcement.All"/>.</summary>
    [Id(16)] public string Limits { get; init; } = LimitsEnforcement.None;

    public ResourceVector Left => Capacity.SubtractOrZero(Used.Add(Locked));

    /// <summary>Load per core above which the node takes no new engines.</summary>
    public bool IsOverloaded(double maxLoadPerCore) => CpuCount > 0 && LoadAverage1m / CpuCount > maxLoadPerCore;
}
