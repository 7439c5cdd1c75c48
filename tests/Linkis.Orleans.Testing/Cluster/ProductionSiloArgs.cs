using System.Net;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>The command line of a production-mode silo, and the fast liveness settings the tests' deadlines rely on.</summary>
public static class ProductionSiloArgs
{
    public const string RunAsSiloUser = "--Linkis:Node:RunAsRequestingUser=false";

    /// <summary>PostgreSQL storage, one cluster and service id, and the address other silos and clients reach this one at.</summary>
    public static string[] For(string connectionString, string clusterId, IPAddress advertisedAddress, IEnumerable<string> extra) =>
    [
        "--Linkis:Storage=PostgreSql",
        $"--ConnectionStrings:linkis={connectionString}",
        $"--Orleans:AdvertisedIPAddress={advertisedAddress}",
        $"--Orleans:ClusterId={clusterId}",
        $"--Orleans:ServiceId={clusterId}",
        "--Linkis:Node:PingInterval=00:00:00.500",
        "--Linkis:Node:MissedPingsBeforeDead=3",
        "--Linkis:Node:KillGrace=00:00:02",
        "--Linkis:Engines:CheckInterval=00:00:00.200",
        "--Linkis:Engines:HeartbeatTimeout=00:00:30",
        // Each engine books cores: a 2-core machine would hold only a few of them.
        "--Linkis:Node:CapacityCores=64",
        // These tests are about storage, restarts and clusters, their users only names; production's default for a root
        // silo (engines as their users' accounts) has its own test, ProductionRunAsTests, with real accounts.
        RunAsSiloUser,
        .. extra,
    ];
}
