using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Nodes.Limits;

/// <summary>What one engine's process tree may use: what it booked, and the node's cap on its processes.</summary>
public sealed record EngineLimits(long MemoryBytes, long MilliCores, int MaxProcesses)
{
    /// <summary>The CFS period the CPU quota is a share of, in microseconds (the kernel's default).</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    // The kernel refuses a quota under 1 ms.
    private const long MinCpuQuotaMicroseconds = 1_000;

    public static EngineLimits For(ResourceVector booked, int maxProcesses) => new(booked.Memory, booked.MilliCores, maxProcesses);

    /// <summary>Cores × period: 0.5 cores may run 50 ms of every 100 ms.</summary>
    public long CpuQuotaMicroseconds => Math.Max(MinCpuQuotaMicroseconds, MilliCores * CpuPeriodMicroseconds / 1000);
}
