using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>A worker node's health and load, pushed by its node manager and read when choosing a node.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeReport")]
public sealed record NodeReport
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Silo { get; init; }
    /// <summary>The verdict is <see cref="NodeVerdict.Healthy"/>.</summary>
    public bool Healthy => Verdict == NodeVerdict.Healthy;

    /// <summary>Why the verdict is not Healthy, in words; null when it is.</summary>
    [Id(3)] public string? VerdictReason { get; init; }
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

    [Id(17)] public NodeVerdict Verdict { get; init; }

    /// <summary>Share of all the node's cores busy over the last report interval, 0–1 (from /proc/stat).</summary>
    [Id(18)] public double CpuUsage { get; init; }

    /// <summary>The node's labels from configuration (<c>Linkis:Node:Labels</c>); an ask's labels must match them.</summary>
    [Id(19)] public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Ready engines running an execution now (the rest of <see cref="EnginesRunning"/> are idle).</summary>
    [Id(20)] public int EnginesBusy { get; init; }

    /// <summary>Whether admins let it take new engines, and any drain.</summary>
    [Id(21)] public NodeAdmission Admission { get; init; } = NodeAdmission.Open;

    /// <summary>When membership declared its silo dead, or its last report when it stopped reporting; only when <see cref="NodeVerdict.Lost"/>.</summary>
    [Id(22)] public DateTimeOffset? LostSince { get; init; }

    public ResourceVector Left => Capacity.SubtractOrZero(Used.Add(Locked));
}
