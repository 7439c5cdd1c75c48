using System.Diagnostics;
using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Three nodes, each in a network namespace of its own on a private switch (<see cref="NetworkLab"/>), so that "a node
/// goes away" is a cut link — its silo and its engine keep running, they are only out of reach, PostgreSQL included —
/// and not only a dead process.
/// </summary>
public sealed class NetworkCutTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c"];
    private static readonly TimeSpan DeathDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SelfStopDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ReattachDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SurvivorReportDeadline = TimeSpan.FromSeconds(15);

    [NetworkNamespaceFact]
    public async Task Node_whose_link_is_cut_is_declared_dead_and_returns_once_the_link_is_restored_and_it_restarts()
    {
        await using var lab = await NetworkLab.CreateAsync(output.WriteLine);
        var namespaces = new Dictionary<string, NetworkNamespace>();
        foreach (var node in Nodes)
        {
            namespaces[node] = await lab.AddNamespaceAsync(node);
        }

        // The test's PostgreSQL listens on loopback only: the nodes reach it through the lab, so a cut link cuts it off too.
        var database = lab.Relay(new IPEndPoint(IPAddress.Loopback, postgres.Server.Port));
        var cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await postgres.NewDatabaseAsync("netcut"),
            ClusterId = "netcut",
            Nodes = Nodes,
            NetworkOf = node => namespaces[node].NodeNetwork(database.Endpoint),
            ArgsForAll =
            [
                // The APIs listen on lab addresses, inside this test's namespaces: nobody but the test reaches them.
                "--Linkis:Security:AllowAnonymousNetwork=true",
                // Node choice leaves out a node whose reports stop after three missed ones: 3 s here instead of 30.
                "--Linkis:Node:ReportInterval=00:00:01",
                .. ClusterChecks.QuickMembership,
                // The cut-off silo learns it was declared dead when it next reads the membership table.
                "--Orleans:Membership:TableRefreshTimeout=00:00:05",
                ClusterChecks.LogDirectoryDeactivations,
            ],
            Log = output.WriteLine,
        });
        IPEndPoint GatewayOf(string node) => new(namespaces[node].Address, cluster[node].GatewayPort);
        var viaA = new LinkisApi(cluster["node-a"]);
        try
        {
            foreach (var node in Nodes)
            {
                var pids = await namespaces[node].PidsAsync();
                Assert.True(pids.Contains(cluster[node].Pid), $"{node}'s silo (pid {cluster[node].Pid}) should run in {namespaces[node]}, whose processes are [{string.Join(", ", pids)}]");
            }

            var nodeC = namespaces["node-c"];
            // Not through node-c's gateway: calls through a cut gateway would wait out their timeouts.
            await using var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, GatewayOf("node-a"), GatewayOf("node-b"));
            var engine = await NodeAsks.AskReadyAsync(viaA, "pia-IDE", node: "node-c");
            var pid = engine.Pid!.Value;
            Assert.True((await nodeC.PidsAsync()).Contains(pid), $"node-c's engine host (pid {pid}) should run in {nodeC}");
            Assert.Equal(0, (await viaA.ExecuteOkAsync(engine.EngineId, "X=kept")).ExitCode);
            var cutSilo = cluster["node-c"];

            // Cut: the others must declare node-c dead although its silo runs on.
            var stopwatch = Stopwatch.StartNew();
            await lab.CutAsync(nodeC);
            var seen = "";
            await Eventually.Until(async () =>
                {
                    var entries = await management.NewestEntriesAsync();
                    seen = ClusterManagementClient.Describe(entries);
                    return entries.TryGetValue("node-c", out var c) && c.Status == SiloStatus.Dead;
                },
                "the cluster's membership to declare node-c dead after its link was cut", DeathDeadline, () => seen);
            var declaredDead = stopwatch.Elapsed;
            output.WriteLine($"cut node-c's link -> declared Dead after {declaredDead.TotalSeconds:0.0} s ({seen})");
            output.WriteLine($"node-c's silo while cut off and declared dead: {(cutSilo.HasExited ? $"exited with code {cutSilo.ExitCode}" : "still running")}");
            EngineChecks.AssertProcessAlive(pid);

            // The survivors' reports may have stalled on grains that lived on node-c until it was declared dead.
            var healthy = "";
            await Eventually.Until(async () =>
                {
                    healthy = await NodeAsks.VerdictsAsync(viaA);
                    return healthy.Contains("node-a Healthy", StringComparison.Ordinal) || healthy.Contains("node-b Healthy", StringComparison.Ordinal);
                },
                "node-a to list node-a or node-b healthy once node-c is declared dead", SurvivorReportDeadline, () => healthy);
            output.WriteLine($"a survivor listed healthy {(stopwatch.Elapsed - declaredDead).TotalSeconds:0.0} s after node-c was declared dead: {healthy}");

            // Its engine is out of reach, not failed: Unreachable as soon as node-c is Lost, and refusing executions.
            var unreachable = "";
            await Eventually.Until(async () =>
                {
                    var listed = await NodeAsks.ListedOnAsync(viaA, "node-c");
                    unreachable = string.Join("; ", listed.Select(e => $"{e.EngineId} {e.Status}"));
                    return listed.Any(e => e.EngineId == engine.EngineId && e.Status == "Unreachable");
                },
                "node-c's engine to be listed Unreachable once node-c is declared dead", SurvivorReportDeadline, () => unreachable);
            output.WriteLine($"node-c's engine listed Unreachable {(stopwatch.Elapsed - declaredDead).TotalSeconds:0.0} s after node-c was declared dead");
            (await viaA.ExecuteAsync(engine.EngineId, "echo $X")).ExpectProblem(HttpStatusCode.ServiceUnavailable);

            // Killed only once all are asked, so that each ask sees the engines of the asks before it.
            var elsewhere = new List<Engine>();
            for (var i = 0; i < 4; i++)
            {
                elsewhere.Add(await NodeAsks.AskReadyAsync(viaA, "quin-IDE"));
            }

            var landed = elsewhere.Select(NodeAsks.NodeOf).ToList();
            output.WriteLine($"asks with reuse:false through node-a while node-c is cut off landed on [{string.Join(", ", landed)}]; node-a lists {await NodeAsks.VerdictsAsync(viaA)}");
            Assert.True(landed.All(n => n is "node-a" or "node-b"), $"Asks while node-c is cut off should land on node-a or node-b: [{string.Join(", ", landed)}]");
            foreach (var other in elsewhere)
            {
                (await viaA.KillAsync(other.EngineId)).Expect(HttpStatusCode.OK);
            }

            EngineChecks.AssertProcessAlive(pid);

            // Restore: the silo finds itself declared dead and stops itself.
            stopwatch.Restart();
            await lab.RestoreAsync(nodeC);
            await Eventually.Until(() => cutSilo.HasExited, "node-c's silo, declared dead while cut off, to stop itself once its link is back", SelfStopDeadline,
                () => $"still running (pid {cutSilo.Pid}); its output (end):\n{Tail(cutSilo.Output)}");
            var stoppedAfter = stopwatch.Elapsed;
            var told = cutSilo.Output.Contains("I have been told I am dead", StringComparison.Ordinal);
            output.WriteLine($"restored node-c's link -> its silo exited after {stoppedAfter.TotalSeconds:0.0} s with code {cutSilo.ExitCode}" +
                $"{(told ? " (Orleans: \"I have been told I am dead, so this silo will stop!\", then Environment.FailFast)" : "")}");
            Assert.True(told, $"node-c's silo should have stopped because it found itself dead; exit code {cutSilo.ExitCode}, output (end):\n{Tail(cutSilo.Output)}");
            EngineChecks.AssertProcessAlive(pid);

            // As systemd would: start it again on the same layout; it re-attaches to the engine it left.
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
                () => $"{last}\nnode-c's output (end):\n{Tail(restarted.Output)}");
            var answered = stopwatch.Elapsed;
            await cluster.WaitListedHealthyAsync(["node-c"], Nodes);
            var listed = stopwatch.Elapsed;
            output.WriteLine($"node-c restarted: ready after {ready.TotalSeconds:0.0} s, its engine answered after {answered.TotalSeconds:0.0} s, " +
                $"every node listed node-c healthy after {listed.TotalSeconds:0.0} s; node-a then listed {await NodeAsks.VerdictsAsync(viaA)}");

            var after = await viaA.GetEngineAsync(engine.EngineId);
            Assert.True(after is { Status: "Idle" } && after.Pid == pid, $"The engine should be Idle with its pid {pid} after node-c's return: {after}");
            await ClusterChecks.AssertOneNodeManagerEachAsync(management, ["node-c"]);
            // The survivors' managers are another matter (NodeManagerSurvivalTests): Orleans may have deactivated one.
            output.WriteLine($"Orleans' directory deactivations:\n{cluster.OutputLinesContaining(ClusterChecks.DirectoryDeactivationLog)}");
        }
        catch
        {
            output.WriteLine(cluster.OutputTails());
            output.WriteLine(await ClusterManagementClient.DescribeActivationsAsync(cluster.ClusterId, GatewayOf("node-a")));
            throw;
        }
        finally
        {
            await viaA.KillCreatedAsync();
            await cluster.DisposeAsync();
        }

        foreach (var ns in namespaces.Values)
        {
            var left = await ns.PidsAsync();
            Assert.True(left.Count == 0, $"Nothing should run in {ns} once the cluster is disposed: [{string.Join(", ", left.Select(p => ProcessTable.Read(p)?.ToString() ?? p.ToString()))}]");
        }
    }

    private static string Tail(string text) => text[Math.Max(0, text.Length - 6000)..];
}
