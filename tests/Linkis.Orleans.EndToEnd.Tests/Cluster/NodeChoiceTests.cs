using System.Net;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Which node an engine lands on in a cluster of three, and that any node's API reaches it: the <c>node</c> label, the
/// spread of asks that never reuse, a node that does not exist.
/// </summary>
public sealed class NodeChoiceTests(ThreeNodeClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeClusterFixture>
{
    private static readonly TimeSpan ProcessGoneDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Engine_asked_for_node_c_through_node_a_runs_on_node_c_and_answers_through_every_node()
    {
        var cluster = fixture.Cluster;
        var viaA = new LinkisApi(cluster["node-a"]);
        var viaB = new LinkisApi(cluster["node-b"]);
        try
        {
            var engine = await NodeAsks.AskReadyAsync(viaA, "lena-IDE", node: "node-c");
            var pid = engine.Pid!.Value;
            Assert.True(NodeAsks.NodeOf(engine) == "node-c", $"The engine asked for node-c should run there: {engine}");
            var host = ProcessTable.Read(pid);
            Assert.True(host is not null && host.CommandLine.Contains("linkis-engineconn", StringComparison.Ordinal)
                    && host.CommandLine.Contains(cluster["node-c"].WorkRoot + "/", StringComparison.Ordinal),
                $"Engine pid {pid} should be an engine host under node-c's work root {cluster["node-c"].WorkRoot}: {host?.ToString() ?? "no such process"}");

            // Its grain was placed with its node, so its calls to the node (execute, stop, heartbeats) stay in one process.
            await using (var management = await ClusterManagementClient.ConnectAsync(cluster.ClusterId, new IPEndPoint(IPAddress.Loopback, cluster["node-a"].GatewayPort)))
            {
                var nodeC = (await management.NewestEntriesAsync())["node-c"].SiloAddress;
                var grains = await management.EngineActivationsAsync(engine.EngineId);
                Assert.True(grains.Count == 1 && grains[0].SiloAddress.Equals(nodeC),
                    $"The engine's grain should be active on node-c's silo {nodeC}: [{string.Join(", ", grains.Select(g => g.SiloAddress))}]");
            }

            foreach (var (via, api) in new[] { ("node-a", viaA), ("node-b", viaB) })
            {
                var result = await api.ExecuteOkAsync(engine.EngineId, "echo hi");
                Assert.True(result is { ExitCode: 0, Stdout: "hi\n" }, $"echo hi through {via} answered {result}");
            }

            var killed = (await viaA.KillAsync(engine.EngineId)).Expect(HttpStatusCode.OK);
            Assert.True(killed.GetProperty("status").GetString() == "Success", $"A killed engine should end Success: {killed}");
            await EngineChecks.WaitProcessGroupGoneAsync(pid, ProcessGoneDeadline);
            var nodeLedger = await viaA.LedgerAsync("node=node-c");
            Assert.True(nodeLedger is null || !nodeLedger.TicketIds.Contains(engine.EngineId),
                $"node-c's ledger should hold no ticket of the killed engine {engine.EngineId}: {nodeLedger}");
            await EngineChecks.AssertReleasedAsync(viaA, "lena-IDE", engine.EngineId);
        }
        finally
        {
            await viaA.KillCreatedAsync();
        }
    }

    [Fact]
    public async Task Asks_that_never_reuse_spread_over_every_node()
    {
        const int Asks = 9;
        var cluster = fixture.Cluster;
        var api = new LinkisApi(cluster["node-a"]);
        try
        {
            var nodes = new List<string>();
            for (var i = 0; i < Asks; i++)
            {
                nodes.Add(NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(api, "mira-IDE")));
            }

            var perNode = cluster.NodeNames.ToDictionary(n => n, n => nodes.Count(x => x == n));
            var seen = $"in order: [{string.Join(", ", nodes)}]; per node: {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}";
            output.WriteLine($"{Asks} asks with reuse:false through node-a landed {seen}");
            Assert.True(perNode.Values.All(count => count >= 2), $"Each of the three nodes should get at least two of {Asks} asks; they landed {seen}");
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }

    [Fact]
    public async Task A_node_label_naming_no_node_is_a_503_that_names_it()
    {
        var api = new LinkisApi(fixture.Cluster["node-a"]);
        var response = await NodeAsks.AskAsync(api, "nora-IDE", node: "node-zz");
        var problem = response.ExpectProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(problem.GetProperty("detail").GetString()!.Contains("node-zz", StringComparison.Ordinal),
            $"The 503 should name the node it could not find: {response}");
    }
}
