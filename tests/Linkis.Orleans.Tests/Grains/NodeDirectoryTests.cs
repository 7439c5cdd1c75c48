using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Tests.Fakes;

namespace Linkis.Orleans.Tests.Grains;

[Collection(FakeClusterCollection.Name)]
public sealed class NodeDirectoryTests(FakeClusterFixture fixture)
{
    [Fact]
    public async Task A_node_that_stopped_reporting_is_listed_lost_and_the_live_one_healthy()
    {
        var directory = fixture.Grains.GetGrain<INodeDirectoryGrain>(0);
        await directory.AsReference<INodeDirectoryWriter>().Report(new NodeReport
        {
            Name = "ghost-node",
            Silo = "S127.0.0.1:1:1",
            Capacity = ResourceVector.FromCores(1L << 30, 1, 1),
            Used = ResourceVector.Zero,
            Locked = ResourceVector.Zero,
            EngineHostKind = "aot",
            ReportedAt = fixture.Time.GetUtcNow() - TimeSpan.FromMinutes(5),
        });

        var nodes = await directory.List();

        var ghost = Assert.Single(nodes, n => n.Name == "ghost-node");
        Assert.Equal(NodeVerdict.Lost, ghost.Verdict);
        Assert.Contains("no report for 300 s", ghost.VerdictReason);
        Assert.Equal(fixture.Time.GetUtcNow() - TimeSpan.FromMinutes(5), ghost.LostSince);
        Assert.True(Assert.Single(nodes, n => n.Name == FakeClusterFixture.NodeName).Healthy);
    }
}
