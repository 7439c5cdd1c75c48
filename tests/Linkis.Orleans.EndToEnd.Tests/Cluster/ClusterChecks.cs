namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>Assertions of the multi-node tests about the cluster as Orleans sees it.</summary>
public static class ClusterChecks
{
    /// <summary>What Orleans logs when it deactivates the activations whose directory registration a dead silo held.</summary>
    public const string DirectoryDeactivationLog = "LocalGrainDirectory is deactivating";

    /// <summary>A silo argument that lets <see cref="DirectoryDeactivationLog"/> through (the silo logs Orleans at Warning).</summary>
    public const string LogDirectoryDeactivations = "--Logging:LogLevel:Orleans.Runtime.GrainDirectory.LocalGrainDirectory=Information";

    /// <summary>
    /// Membership probes of 2 s, two missed make a suspect: what the node-loss tests test is what the service does once
    /// a silo is declared dead, not Orleans' production timings (three missed probes of 5 s and the votes, most of
    /// their time otherwise).
    /// </summary>
    public static readonly string[] QuickMembership = ["--Orleans:Membership:ProbeTimeout=00:00:02", "--Orleans:Membership:NumMissedProbesLimit=2"];

    /// <summary>
    /// Exactly one activation of each node's manager in the cluster, on that node's newest silo: no duplicate survived a
    /// node's return, and no manager was left unwoken.
    /// </summary>
    public static async Task AssertOneNodeManagerEachAsync(ClusterManagementClient management, IEnumerable<string> nodes)
    {
        var entries = await management.NewestEntriesAsync();
        foreach (var node in nodes)
        {
            var activations = await management.NodeManagerActivationsAsync(node);
            var why = activations.Count == 0
                // Orleans deactivates an activation whose grain-directory registration the dead silo held (LocalGrainDirectory.OnSiloStatusChange).
                ? " — none: a node manager deactivated when another node's silo died is woken by nothing but a call"
                : "";
            Assert.True(activations.Count == 1 && activations[0].SiloAddress.Equals(entries[node].SiloAddress),
                $"Exactly one activation of {node}'s manager should exist, on {entries[node].SiloAddress}: " +
                $"[{string.Join(", ", activations.Select(a => $"{a.GrainId} on {a.SiloAddress}"))}]{why}; membership: {ClusterManagementClient.Describe(entries)}");
        }
    }
}
