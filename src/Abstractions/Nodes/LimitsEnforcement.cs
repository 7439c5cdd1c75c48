namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>What a node's report says enforces its engines' bookings (<see cref="NodeReport.Limits"/>).</summary>
public static class LimitsEnforcement
{
    /// <summary>A cgroup v2 group per engine: memory, CPU quota and process count of the whole tree.</summary>
    public const string Cgroup2 = "cgroup2";

    /// <summary>cgroup v1 groups per engine (memory, cpu, pids): the same limits as <see cref="Cgroup2"/>.</summary>
    public const string Cgroup1 = "cgroup1";

    /// <summary>Resource limits on the executor only: address space and processes per user, no CPU quota.</summary>
    public const string Rlimit = "rlimit";

    /// <summary>Nothing is enforced: bookings are accounting only.</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Cgroup2, Cgroup1, Rlimit, None];
}
