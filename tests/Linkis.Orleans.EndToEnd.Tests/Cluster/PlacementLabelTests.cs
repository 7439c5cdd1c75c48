using System.Net;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>Node labels and tenants decide where engines go, on three real nodes (<see cref="LabelledClusterFixture"/>).</summary>
public sealed class PlacementLabelTests(LabelledClusterFixture fixture, ITestOutputHelper output) : IClassFixture<LabelledClusterFixture>
{
    [Fact]
    public async Task A_tenants_asks_land_only_on_its_node_and_nobody_elses_do()
    {
        var api = new LinkisApi(fixture.Cluster["node-a"]);
        try
        {
            var etl = new List<string>();
            var others = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                etl.Add(NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(api, "ivy-ETL")));
            }

            for (var i = 0; i < 6; i++)
            {
                others.Add(NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(api, "ivy-IDE")));
            }

            output.WriteLine($"etl asks landed on [{string.Join(", ", etl)}], the others on [{string.Join(", ", others)}]");
            Assert.True(etl.All(n => n == LabelledClusterFixture.TenantNode), $"ivy-ETL is of tenant etl: its engines go to {LabelledClusterFixture.TenantNode} only: [{string.Join(", ", etl)}]");
            Assert.True(others.All(n => n != LabelledClusterFixture.TenantNode), $"{LabelledClusterFixture.TenantNode} takes only tenant etl's engines: [{string.Join(", ", others)}]");

            var refused = (await NodeAsks.AskAsync(api, "ivy-IDE", more: new Dictionary<string, string> { ["tenant"] = "etl" })).ExpectProblem(HttpStatusCode.Forbidden);
            Assert.Contains("tenant", refused.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }

    [Fact]
    public async Task A_node_label_on_the_ask_picks_the_node_that_has_it_and_one_no_node_has_is_a_503_naming_it()
    {
        var api = new LinkisApi(fixture.Cluster["node-a"]);
        try
        {
            foreach (var (zone, node) in new[] { ("b", "node-b"), ("a", "node-a"), ("b", "node-b") })
            {
                var engine = new Engine((await NodeAsks.AskAsync(api, "zoe-IDE", more: Zone(zone))).Expect(HttpStatusCode.OK));
                api.Created.Add(engine.EngineId);
                Assert.True(NodeAsks.NodeOf(engine) == node, $"An ask for zone={zone} should land on {node}: {engine}");
            }

            var problem = (await NodeAsks.AskAsync(api, "zoe-IDE", more: Zone("x"))).ExpectProblem(HttpStatusCode.ServiceUnavailable);
            Assert.True(problem.GetProperty("detail").GetString()!.Contains("zone=x", StringComparison.Ordinal), $"The 503 should name the label no node has: {problem}");
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }

    private static Dictionary<string, string> Zone(string zone) => new() { ["zone"] = zone };
}
