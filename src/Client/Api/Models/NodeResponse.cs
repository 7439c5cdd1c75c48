using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>A worker node: its verdict, load, labels, capacity, what engines have booked of it, and what admins decided.</summary>
public sealed record NodeResponse
{
    public required string Name { get; init; }
    public required string Silo { get; init; }

    /// <summary>Whether it takes new engines: <c>Healthy</c>, <c>Overloaded</c>, <c>Unhealthy</c>, <c>Draining</c> or <c>Lost</c>.</summary>
    public required NodeVerdict Verdict { get; init; }

    /// <summary>Why the verdict is not Healthy, in words.</summary>
    public string? VerdictReason { get; init; }

    /// <summary>The verdict is Healthy.</summary>
    public required bool Healthy { get; init; }

    /// <summary>Since when it has been lost; only when the verdict is Lost.</summary>
    public DateTimeOffset? LostSince { get; init; }

    /// <summary>Whether admins let it take new engines (see the drain and eligibility operations).</summary>
    public required bool Eligible { get; init; }

    /// <summary>Its drain, while it drains and until it is made eligible again.</summary>
    public DrainResponse? Drain { get; init; }

    /// <summary>Its labels (<c>Linkis:Node:Labels</c>): an ask's extra labels and tenant must match them.</summary>
    public required Dictionary<string, string> Labels { get; init; }

    public int CpuCount { get; init; }

    /// <summary>Share of all cores busy over the last report interval, 0 to 1.</summary>
    public double CpuUsage { get; init; }

    public double LoadAverage1m { get; init; }
    public long MemoryTotal { get; init; }
    public long MemoryAvailable { get; init; }
    public long DiskFree { get; init; }

    /// <summary>Ready engines (idle or busy).</summary>
    public int EnginesRunning { get; init; }

    /// <summary>Ready engines running an execution now.</summary>
    public int EnginesBusy { get; init; }

    public int EnginesStarting { get; init; }
    public required ResourcesResponse Capacity { get; init; }
    public required ResourcesResponse Used { get; init; }
    public required ResourcesResponse Locked { get; init; }
    public required ResourcesResponse Left { get; init; }
    public required string EngineHostKind { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }

    /// <summary>What enforces the engines' bookings on this node: <c>cgroup2</c>, <c>cgroup1</c>, <c>rlimit</c> or <c>none</c>.</summary>
    public required string Limits { get; init; }

    public static NodeResponse From(NodeReport n)
    {
        var admission = NodeAdmissionResponse.From(n.Admission);
        return new()
        {
            Name = n.Name,
            Silo = n.Silo,
            Verdict = n.Verdict,
            VerdictReason = n.VerdictReason,
            Healthy = n.Healthy,
            LostSince = n.LostSince,
            Eligible = admission.Eligible,
            Drain = admission.Drain,
            Labels = new Dictionary<string, string>(n.Labels, StringComparer.Ordinal),
            CpuCount = n.CpuCount,
            CpuUsage = n.CpuUsage,
            LoadAverage1m = n.LoadAverage1m,
            MemoryTotal = n.MemoryTotal,
            MemoryAvailable = n.MemoryAvailable,
            DiskFree = n.DiskFree,
            EnginesRunning = n.EnginesRunning,
            EnginesBusy = n.EnginesBusy,
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
}
