using System.Diagnostics;
using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// A node's silo that crashes (kill -9) in a cluster of three is declared dead by the others, its engine runs on, and
/// the node started again on its layout re-attaches to it, with one node manager in the cluster.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class NodeCrashTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // Orleans' defaults (no configuration reaches ClusterMembershipOptions): 3 missed probes of 5 s, then the votes.
    private static readonly TimeSpan DeathDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ReattachDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killed_node_is_declared_dead_and_its_restart_reattaches_its_engine()
    {
        var cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await postgres.NewDatabaseAsync("crash3"),
            ClusterId = "crash3",
            // Today an engine whose node is gone fails once its heartbeat lapses; long enough here that the restart finds it.
            ArgsForAll = ["--Linkis:Engines:HeartbeatTimeout=00:05:00", ClusterChecks.LogDirectoryDeactivations],
            Log = output.WriteLine,
        });
        var viaA = new LinkisApi(cluster["node-a"]);
        try
        {
            await using var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, new IPEndPoint(IPAddress.Loopback, cluster["node-a"].GatewayPort));
            var engine = await NodeAsks.AskReadyAsync(viaA, "omar-IDE", node: "node-c");
            var pid = engine.Pid!.Value;
            Assert.Equal(0, (await viaA.ExecuteOkAsync(engine.EngineId, "X=kept")).ExitCode);

            var stopwatch = Stopwatch.StartNew();
            await cluster.KillAsync("node-c");
            var seen = "";
            await Eventually.Until(async () =>
                {
                    var entries = await management.NewestEntriesAsync();
                    seen = ClusterManagementClient.Describe(entries);
                    return entries.TryGetValue("node-c", out var c) && c.Status == SiloStatus.Dead;
                },
                "the cluster's membership to declare node-c dead after kill -9 of its silo", DeathDeadline, () => seen);
            var declaredDead = stopwatch.Elapsed;
            output.WriteLine($"kill -9 of node-c's silo -> declared Dead after {declaredDead.TotalSeconds:0.0} s ({seen})");
            EngineChecks.AssertProcessAlive(pid);

            stopwatch.Restart();
            var restarted = await cluster.RestartAsync("node-c");
            var ready = stopwatch.Elapsed;
            var last = "";
            await Eventually.Until(async () =>
                {
                    var r = await viaA.ExecuteAsync(engine.EngineId, "echo $X");
                    last = r.ToString();
                    return r.Status == HttpStatusCode.OK && r.Json.GetProperty("stdout").GetString() == "kept\n";
                },
                "node-c's engine to answer through node-a with its state after node-c's restart", ReattachDeadline,
                () => $"{last}\nnode-c's output (end):\n{restarted.Output[Math.Max(0, restarted.Output.Length - 6000)..]}");
            var answered = stopwatch.Elapsed;
            output.WriteLine($"node-c restarted: ready after {ready.TotalSeconds:0.0} s, its engine answered through node-a after {answered.TotalSeconds:0.0} s");

            var after = await viaA.GetEngineAsync(engine.EngineId);
            Assert.True(after is { Status: "Idle" } && after.Pid == pid, $"The engine should be Idle with its pid {pid} after node-c's restart: {after}");
            await ClusterChecks.AssertOneNodeManagerEachAsync(management, ["node-c"]);
            await cluster.WaitListedHealthyAsync(["node-c"], cluster.NodeNames);
            // The survivors' managers are another matter (NodeManagerSurvivalTests): Orleans may have deactivated one.
            output.WriteLine($"Orleans' directory deactivations:\n{cluster.OutputLinesContaining(ClusterChecks.DirectoryDeactivationLog)}");
        }
        catch
        {
            output.WriteLine(cluster.OutputTails());
            output.WriteLine(await ClusterManagementClient.DescribeActivationsAsync(cluster.ClusterId, new IPEndPoint(IPAddress.Loopback, cluster["node-a"].GatewayPort)));
            throw;
        }
        finally
        {
            await viaA.KillCreatedAsync();
            await cluster.DisposeAsync();
        }

        foreach (var node in cluster.Nodes)
        {
            var left = ProcessesUnder.RunningFrom(node.Layout.TempDir);
            Assert.True(left.Count == 0 && !Directory.Exists(node.Layout.TempDir),
                $"Nothing of {node.Name} should be left once the cluster is disposed: processes [{string.Join(", ", left)}], directory {(Directory.Exists(node.Layout.TempDir) ? "still there" : "gone")}");
        }
    }
}
