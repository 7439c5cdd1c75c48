using System.Diagnostics;
using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// A node whose silo is killed -9 in a cluster of three: it is Lost and its engines Unreachable without anyone calling
/// them, asks go elsewhere; back within its grace it re-adopts its engines in the same processes; not back within it,
/// its engines end NodeLost, every ledger is back to zero and its hosts stop themselves.
/// </summary>
public sealed class NodeLossTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    // The issue's bound for both, which Orleans' default membership timings (3 missed probes of 5 s and the votes) meet
    // too: membership's detection and the node watch telling every engine.
    private static readonly TimeSpan LostDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadoptDeadline = TimeSpan.FromSeconds(60);
    private const string Victim = "node-b";

    [Fact]
    public async Task Killed_node_is_lost_its_engines_unreachable_and_its_restart_readopts_them_in_the_same_processes()
    {
        await WithClusterAsync("loss3", ["--Linkis:Node:ReportInterval=00:00:02", ClusterChecks.LogDirectoryDeactivations], async (cluster, viaA) =>
        {
            await using var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, new IPEndPoint(IPAddress.Loopback, cluster["node-a"].GatewayPort));
            var kept = await NodeAsks.AskReadyAsync(viaA, "omar-IDE", node: Victim);
            var other = await NodeAsks.AskReadyAsync(viaA, "omar-IDE", node: Victim);
            Assert.Equal(0, (await viaA.ExecuteOkAsync(kept.EngineId, "X=kept")).ExitCode);
            var pids = new Dictionary<string, int> { [kept.EngineId] = kept.Pid!.Value, [other.EngineId] = other.Pid!.Value };

            var sinceKill = Stopwatch.StartNew();
            await cluster.KillAsync(Victim);
            var lost = await WaitAsync(sinceKill, LostDeadline, $"{Victim} to be listed Lost after kill -9 of its silo", async () =>
            {
                var node = await NodeAsks.NodeAsync(viaA, Victim);
                return (node.GetProperty("verdict").GetString() == "Lost", NodeAsks.VerdictOf(node));
            });
            // Only the engine list is read (the directory the engines publish to): nobody calls the engines themselves.
            var unreachable = await WaitAsync(sinceKill, LostDeadline, $"{Victim}'s engines to be listed Unreachable, nobody calling them", async () =>
            {
                var listed = await NodeAsks.ListedOnAsync(viaA, Victim);
                return (pids.Keys.All(id => listed.Any(e => e.EngineId == id && e.Status == "Unreachable")),
                    string.Join("; ", listed.Select(e => $"{e.EngineId} {e.Status}")));
            });
            output.WriteLine($"kill -9 of {Victim}'s silo -> Lost after {lost.TotalSeconds:0.0} s, its engines Unreachable after {unreachable.TotalSeconds:0.0} s");
            // The silos' output is read as it comes: the watch's line may arrive a moment after what it did.
            var watch = "";
            await Eventually.Until(() =>
                {
                    watch = cluster.OutputLinesContaining($"Node {Victim} is lost");
                    return watch.Contains($"its {pids.Count} engines are Unreachable", StringComparison.Ordinal);
                },
                $"{Victim}'s watch, not a caller, to have made its {pids.Count} engines Unreachable", TimeSpan.FromSeconds(10), () => $"the silos logged: [{watch}]");
            foreach (var pid in pids.Values)
            {
                EngineChecks.AssertProcessAlive(pid);
            }

            var refused = (await viaA.ExecuteAsync(kept.EngineId, "echo $X")).ExpectProblem(HttpStatusCode.ServiceUnavailable);
            var detail = refused.GetProperty("detail").GetString()!;
            Assert.True(detail.Contains("Unreachable", StringComparison.Ordinal) && detail.Contains("lost since", StringComparison.Ordinal),
                $"Execute on an engine of a lost node should be a 503 saying the node is lost and since when: {refused}");
            var elsewhere = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                elsewhere.Add(NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(viaA, "quin-IDE")));
            }

            Assert.True(elsewhere.All(n => n is "node-a" or "node-c"), $"Asks while {Victim} is lost should land on node-a or node-c: [{string.Join(", ", elsewhere)}]");
            var reused = (await NodeAsks.AskAsync(viaA, "omar-IDE", reuse: true)).Expect(HttpStatusCode.OK);
            Assert.True(!pids.ContainsKey(reused.GetProperty("engineId").GetString()!), $"An Unreachable engine must not be reused: {reused}");
            viaA.Created.Add(reused.GetProperty("engineId").GetString()!);

            // An admin's word about a node is kept off the node: said while it is down, it holds when it is back.
            (await viaA.PostAsync($"/api/v1/nodes/{Victim}/eligibility", new { eligible = false })).Expect(HttpStatusCode.OK);

            var sinceRestart = Stopwatch.StartNew();
            var restarted = await cluster.RestartAsync(Victim);
            var ready = sinceRestart.Elapsed;
            var readopted = await WaitAsync(sinceRestart, ReadoptDeadline, $"{Victim}'s engines to be Idle again in their processes after its restart", async () =>
            {
                var listed = await NodeAsks.ListedOnAsync(viaA, Victim);
                return (pids.All(p => listed.Any(e => e.EngineId == p.Key && e.Status == "Idle" && e.Pid == p.Value)),
                    string.Join("; ", listed.Select(e => $"{e.EngineId} {e.Status} pid {e.Pid}")) + $"\n{Victim}'s output (end):\n{restarted.Output[Math.Max(0, restarted.Output.Length - 4000)..]}");
            });
            output.WriteLine($"{Victim} restarted: ready after {ready.TotalSeconds:0.0} s, its engines Idle in the same processes after {readopted.TotalSeconds:0.0} s");

            var state = await viaA.ExecuteOkAsync(kept.EngineId, "echo $X");
            Assert.True(state is { ExitCode: 0, Stdout: "kept\n" }, $"The re-adopted engine should keep its session state: {state}");
            var back = await Eventually.Until(() => NodeAsks.NodeAsync(viaA, Victim), n => NodeAsks.VerdictOf(n) == "Healthy",
                $"{Victim} to be listed Healthy after its restart", TimeSpan.FromSeconds(30));
            Assert.False(back.GetProperty("eligible").GetBoolean(), $"{Victim} was made ineligible while it was down, and should still be: {back}");
            var closed = (await NodeAsks.AskAsync(viaA, "omar-IDE", node: Victim)).ExpectProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("not eligible", closed.GetProperty("detail").GetString()!, StringComparison.Ordinal);
            (await viaA.PostAsync($"/api/v1/nodes/{Victim}/eligibility", new { eligible = true })).Expect(HttpStatusCode.OK);
            await Eventually.Until(() => NodeAsks.NodeAsync(viaA, Victim), n => n.GetProperty("eligible").GetBoolean(),
                $"{Victim} to be listed eligible again", TimeSpan.FromSeconds(15));
            var onB = NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(viaA, "omar-IDE", node: Victim));
            Assert.Equal(Victim, onB);
            await ClusterChecks.AssertOneNodeManagerEachAsync(management, cluster.NodeNames);
        });
    }

    [Fact]
    public async Task Node_that_never_returns_ends_its_engines_NodeLost_releases_every_ledger_and_its_hosts_stop_themselves()
    {
        string[] args =
        [
            "--Linkis:Node:ReportInterval=00:00:02",
            // A few seconds, not ten minutes: the node is given up on soon after membership declares it dead.
            "--Linkis:Node:LostGrace=00:00:05",
            // Hosts nobody pings for this long stop themselves.
            "--Linkis:Node:OrphanGrace=00:00:10",
        ];
        await WithClusterAsync("gone3", args, async (cluster, viaA) =>
        {
            var engines = new List<Engine>();
            foreach (var userCreator in new[] { "pia-IDE", "pia-IDE", "ravi-nb" })
            {
                engines.Add(await NodeAsks.AskReadyAsync(viaA, userCreator, node: Victim));
            }

            var sinceKill = Stopwatch.StartNew();
            await cluster.KillAsync(Victim);
            var ended = await WaitAsync(sinceKill, TimeSpan.FromSeconds(120), $"{Victim}'s engines to end Failed / NodeLost once its grace is over", async () =>
            {
                var now = await Task.WhenAll(engines.Select(e => NodeAsks.EngineOnLostNodeAsync(viaA, e.EngineId)));
                return (now.All(e => e is { Status: "Failed", EndKind: "NodeLost" }), string.Join("; ", now.Select(e => $"{e?.EngineId} {e?.Status} {e?.EndKind}")));
            });
            output.WriteLine($"kill -9 of {Victim}'s silo, LostGrace 5 s -> its engines ended NodeLost after {ended.TotalSeconds:0.0} s");

            await WaitEveryLedgerEmptyAsync(viaA, "every ledger, users' and nodes', to be back to zero");

            foreach (var engine in engines)
            {
                await EngineChecks.WaitProcessGroupGoneAsync(engine.Pid!.Value, TimeSpan.FromSeconds(30));
            }

            output.WriteLine($"{Victim}'s hosts, alone, stopped themselves within {sinceKill.Elapsed.TotalSeconds:0.0} s of the kill");
        });
    }

    [Fact]
    public async Task Node_back_after_its_grace_stops_the_hosts_of_its_ended_engines_and_books_nothing_for_them()
    {
        // Given up on a few seconds after its death; its hosts, left to their ten-minute orphan grace, live on.
        await WithClusterAsync("late3", ["--Linkis:Node:ReportInterval=00:00:02", "--Linkis:Node:LostGrace=00:00:05"], async (cluster, viaA) =>
        {
            var engine = await NodeAsks.AskReadyAsync(viaA, "tess-IDE", node: Victim);
            var pid = engine.Pid!.Value;
            await cluster.KillAsync(Victim);
            await Eventually.Until(() => NodeAsks.EngineOnLostNodeAsync(viaA, engine.EngineId), e => e is { Status: "Failed", EndKind: "NodeLost" },
                $"{Victim}'s engine to end NodeLost once its grace is over", TimeSpan.FromSeconds(120));
            EngineChecks.AssertProcessAlive(pid);

            var sinceRestart = Stopwatch.StartNew();
            await cluster.RestartAsync(Victim);
            await EngineChecks.WaitProcessGroupGoneAsync(pid, TimeSpan.FromSeconds(30));
            output.WriteLine($"{Victim} back after its grace: the host of its ended engine stopped {sinceRestart.Elapsed.TotalSeconds:0.0} s after the restart began");
            await WaitEveryLedgerEmptyAsync(viaA, "every ledger to stay at zero once the late node is back");
            var after = (await viaA.GetEngineAsync(engine.EngineId))!;
            Assert.True(after is { Status: "Failed", EndKind: "NodeLost" }, $"An engine given up on stays ended when its node comes back: {after}");
            await Eventually.Until(async () => NodeAsks.VerdictOf(await NodeAsks.NodeAsync(viaA, Victim)), v => v == "Healthy",
                $"{Victim} to be listed Healthy after its late return", TimeSpan.FromSeconds(30));
        });
    }

    /// <summary>
    /// Runs the test on a fresh cluster of three with node-a's API: every silo's output printed if it fails, the engines
    /// it asked for killed, and nothing of any node left afterwards.
    /// </summary>
    private async Task WithClusterAsync(string clusterId, string[] args, Func<NodeCluster, LinkisApi, Task> test)
    {
        var cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await postgres.NewDatabaseAsync(clusterId),
            ClusterId = clusterId,
            ArgsForAll = [.. ClusterChecks.QuickMembership, .. args],
            Log = output.WriteLine,
        });
        var viaA = new LinkisApi(cluster["node-a"]);
        try
        {
            await test(cluster, viaA);
        }
        catch
        {
            output.WriteLine(cluster.OutputTails());
            throw;
        }
        finally
        {
            await viaA.KillCreatedAsync();
            await cluster.DisposeAsync();
        }

        AssertNothingLeft(cluster);
    }

    /// <summary>Waits until every ledger, users' and nodes', has nothing used, nothing locked and no ticket.</summary>
    private static async Task WaitEveryLedgerEmptyAsync(LinkisApi api, string what)
    {
        var ledgers = "";
        await Eventually.Until(async () =>
            {
                var all = (await api.GetAsync("/api/v1/resources")).Expect(HttpStatusCode.OK).EnumerateArray().Select(l => new Ledger(l.Clone())).ToList();
                ledgers = string.Join("\n", all);
                return all.All(l => l.IsEmpty);
            },
            what, TimeSpan.FromSeconds(10), () => ledgers);
    }

    /// <summary>Waits until the condition holds and returns how long after <paramref name="since"/>'s start it did.</summary>
    private static async Task<TimeSpan> WaitAsync(Stopwatch since, TimeSpan deadline, string what, Func<Task<(bool Done, string Seen)>> check)
    {
        var seen = "";
        await Eventually.Until(async () =>
            {
                (var done, seen) = await check();
                return done;
            },
            what, deadline - since.Elapsed, () => seen);
        return since.Elapsed;
    }

    private static void AssertNothingLeft(NodeCluster cluster)
    {
        foreach (var node in cluster.Nodes)
        {
            var left = ProcessesUnder.RunningFrom(node.Layout.TempDir);
            Assert.True(left.Count == 0 && !Directory.Exists(node.Layout.TempDir),
                $"Nothing of {node.Name} should be left once the cluster is disposed: processes [{string.Join(", ", left)}], directory {(Directory.Exists(node.Layout.TempDir) ? "still there" : "gone")}");
        }
    }
}
