namespace Linkis.Orleans.Grains.Options;

/// <summary>How a node turns what an engine booked into kernel limits (<c>Linkis:Node:Limits</c>).</summary>
public enum EngineLimitsMode
{
    /// <summary>The strongest this machine allows: cgroup v2, else cgroup v1, else rlimits.</summary>
    Auto,

    /// <summary>A cgroup v2 group per engine: <c>memory.max</c>, <c>cpu.max</c>, <c>pids.max</c>.</summary>
    Cgroup2,

    /// <summary>A cgroup v1 group per engine and controller: <c>memory.limit_in_bytes</c>, <c>cpu.cfs_quota_us</c>, <c>pids.max</c>.</summary>
    Cgroup1,

    /// <summary>Only <c>RLIMIT_AS</c> and <c>RLIMIT_NPROC</c> on the executor (through <c>prlimit</c>).</summary>
    Rlimit,

    /// <summary>Nothing is enforced; bookings are only accounting.</summary>
    None,
}
