using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Nodes.Reports;
using Linkis.Orleans.Testing;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

[Collection(FakeClusterCollection.Name)]
public sealed class NodeDirectoryTests(FakeClusterFixture fixture)
{
    [Fact]
    public async Task A_node_that_stopped_reporting_is_listed_lost_and_the_live_one_healthy()
    {
        var directory = fixture.Grains.GetGrain<INodeDirectoryGrain>(0);
        // The client's calls to the directory are answered by its gateway silo's copy; each silo's is pushed to alike.
        var ghostReport = new NodeReport
        {
            Name = "ghost-node",
            Silo = "S127.0.0.1:1:1",
            Capacity = ResourceVector.FromCores(1L << 30, 1, 1),
            Used = ResourceVector.Zero,
            Locked = ResourceVector.Zero,
            EngineHostKind = "aot",
            ReportedAt = fixture.Time.GetUtcNow() - TimeSpan.FromMinutes(5),
        };
        foreach (var silo in fixture.Cluster.Silos)
        {
            await fixture.Grains.GetGrain<INodeDirectoryWriter>(silo.Name).Report(ghostReport);
        }

        var nodes = await Eventually.Until(directory.List, listed => listed.Any(n => n.Name == "ghost-node"), "the ghost node's one-way report to be listed");

        var ghost = Assert.Single(nodes, n => n.Name == "ghost-node");
        Assert.Equal(NodeVerdict.Lost, ghost.Verdict);
        Assert.Contains("no report for 300 s", ghost.VerdictReason);
        Assert.Equal(fixture.Time.GetUtcNow() - TimeSpan.FromMinutes(5), ghost.LostSince);
        Assert.True(Assert.Single(nodes, n => n.Name == FakeClusterFixture.NodeName).Healthy);
    }
}
