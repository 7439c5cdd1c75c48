using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>A worker node: its health, load, capacity and what engines have booked of it.</summary>
public sealed record NodeResponse
{
    public required string Name { get; init; }
    public required string Silo { get; init; }
    public required bool Healthy { get; init; }
    public string? HealthMessage { get; init; }
    public int CpuCount { get; init; }
    public double LoadAverage1m { get; init; }
    public long MemoryTotal { get; init; }
    public long MemoryAvailable { get; init; }
    public long DiskFree { get; init; }
    public int EnginesRunning { get; init; }
    public int EnginesStarting { get; init; }
    public required ResourcesResponse Capacity { get; init; }
    public required ResourcesResponse Used { get; init; }
    public required ResourcesResponse Locked { get; init; }
    public required ResourcesResponse Left { get; init; }
    public required string EngineHostKind { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>What enforces the engines' bookings on this node: <c>cgroup2</c>, <c>cgroup1</c>, <c>rlimit</c> or <c>none</c>.</summary>
    public required string Limits { get; init; }

    public static NodeResponse From(NodeReport n) => new()
    {
        Name = n.Name,
        Silo = n.Silo,
        Healthy = n.Healthy,
        HealthMessage = n.HealthMessage,
        CpuCount = n.CpuCount,
        LoadAverage1m = n.LoadAverage1m,
        MemoryTotal = n.MemoryTotal,
        MemoryAvailable = n.MemoryAvailable,
        DiskFree = n.DiskFree,
        EnginesRunning = n.EnginesRunning,
        EnginesStarting = n.EnginesStarting,
        Capacity = ResourcesResponse.From(n.Capacity),
        Used = ResourcesResponse.From(n.Used),
        Locked = ResourcesResponse.From(n.Locked),
        Left = ResourcesResponse.From(n.Left),
        EngineHostKind = n.EngineHostKind,
        ReportedAt = n.ReportedAt,
        Limits = n.Limits,
    };
}
