using System.Diagnostics;
using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// A node manager must stay active as long as its node's silo runs. Orleans deactivates every activation whose
/// grain-directory registration was held by a silo that died — wherever the activation lives — so the death of one node
/// can take another node's manager down with it; the node must get it back.
/// </summary>
public sealed class NodeManagerSurvivalTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int ArrangeAttempts = 5;
    private static readonly TimeSpan DeathDeadline = TimeSpan.FromSeconds(90);
    // Long enough for every silo to have applied the death; several report intervals of 1 s.
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);
    // Reports every second, and slack for a machine shared with other suites.
    private static readonly TimeSpan BackDeadline = TimeSpan.FromSeconds(20);
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c"];

    [Fact]
    public async Task Node_manager_whose_directory_registration_dies_with_another_node_is_active_again()
    {
        for (var attempt = 1; attempt <= ArrangeAttempts; attempt++)
        {
            var cluster = await NodeCluster.StartAsync(new NodeClusterOptions
            {
                ConnectionString = await postgres.NewDatabaseAsync("survive3"),
                ClusterId = "survive3",
                Nodes = Nodes,
                ArgsForAll = ["--Linkis:Node:ReportInterval=00:00:01", ClusterChecks.LogDirectoryDeactivations, .. ClusterChecks.QuickMembership],
                Log = output.WriteLine,
            });
            try
            {
                if (await ArrangeAsync(cluster) is not var (victim, orphan))
                {
                    output.WriteLine($"attempt {attempt}: no node's silo holds another node's manager registration without the node directory's; a new cluster, a new ring");
                    continue;
                }

                await KillAndWatchAsync(cluster, victim, orphan);
                return;
            }
            finally
            {
                await cluster.DisposeAsync();
            }
        }

        Assert.Fail($"In {ArrangeAttempts} clusters no node's silo held another node's manager registration without the node directory's: nothing to kill.");
    }

    private async Task KillAndWatchAsync(NodeCluster cluster, string victim, string orphan)
    {
        var survivor = Nodes.Single(n => n != victim && n != orphan);
        output.WriteLine($"{orphan}'s manager is registered in {victim}'s directory partition; killing {victim}");
        await using var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, GatewayOf(cluster, survivor));
        var stopwatch = Stopwatch.StartNew();
        await cluster.KillAsync(victim);
        var seen = "";
        await Eventually.Until(async () =>
            {
                var entries = await management.NewestEntriesAsync();
                seen = ClusterManagementClient.Describe(entries);
                return entries[victim].Status == SiloStatus.Dead;
            },
            $"the cluster's membership to declare {victim} dead after kill -9", DeathDeadline, () => seen);
        output.WriteLine($"{victim} declared Dead after {stopwatch.Elapsed.TotalSeconds:0.0} s");

        // The orphan's silo learns of the death a moment after the survivor's: only a report made well after it shows
        // that the orphan's manager outlived it (or was woken again).
        var after = DateTimeOffset.UtcNow + SettleTime;
        var api = new LinkisApi(cluster[survivor]);
        var last = "";
        await Eventually.Until(async () =>
            {
                var node = (await api.GetAsync($"/api/v1/nodes/{orphan}")).Expect(HttpStatusCode.OK);
                var found = await management.NodeManagerActivationsAsync(orphan);
                var reportedAt = node.GetProperty("reportedAt").GetDateTimeOffset();
                last = $"{orphan} last reported at {reportedAt:HH:mm:ss.fff}, healthy {node.GetProperty("healthy").GetBoolean()}; its manager's activations: " +
                    $"[{string.Join(", ", found.Select(a => $"{a.GrainId} on {a.SiloAddress}"))}]";
                return reportedAt > after && found.Count == 1;
            },
            $"{orphan}'s manager, registered in the directory partition of {victim}, to report after {after:HH:mm:ss.fff} ({SettleTime.TotalSeconds:0} s after {victim} was declared dead)", BackDeadline,
            () => $"{last}; Orleans logged:\n{cluster.OutputLinesContaining(ClusterChecks.DirectoryDeactivationLog)}");
        output.WriteLine($"{orphan}'s manager active and reporting after {victim}'s death; Orleans logged:\n{cluster.OutputLinesContaining(ClusterChecks.DirectoryDeactivationLog)}");
    }

    /// <summary>
    /// A node (the victim) whose silo holds another node's (the orphan's) manager registration — so that nothing but the
    /// orphan's own node could wake its manager again (each silo has its own copy of the node directory) — or null when
    /// this cluster's ring has no such pair.
    /// </summary>
    private static async Task<(string Victim, string Orphan)?> ArrangeAsync(NodeCluster cluster)
    {
        await using var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, GatewayOf(cluster, "node-a"));
        var entries = await management.NewestEntriesAsync();
        var active = entries.Values.Where(e => e.Status == SiloStatus.Active).Select(e => e.SiloAddress).ToList();
        var nodeOf = entries.ToDictionary(e => e.Value.SiloAddress, e => e.Key);
        foreach (var orphan in Nodes)
        {
            var manager = (await management.NodeManagerActivationsAsync(orphan)).Single();
            var owner = GrainDirectoryRing.OwnerOf(manager.GrainId, active);
            if (nodeOf[owner] != orphan)
            {
                return (nodeOf[owner], orphan);
            }
        }

        return null;
    }

    private static IPEndPoint GatewayOf(NodeCluster cluster, string node) => new(IPAddress.Loopback, cluster[node].GatewayPort);
}
