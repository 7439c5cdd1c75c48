using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class NodesAndQuotasTests(CliSiloFixture fixture)
{
    private const string Node = CliSiloFixture.NodeName;

    [Fact]
    public async Task Nodes_lists_the_node_and_drain_and_eligible_change_whether_it_takes_engines()
    {
        var cli = fixture.Cli;
        var list = (await cli.RunAsync("nodes")).Expect(0);
        Assert.Contains(list.StdoutLines, l => l.StartsWith(Node + " ", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal));

        try
        {
            var drain = (await cli.RunAsync("nodes", "drain", Node, "--deadline", "5m")).Expect(0);
            Assert.StartsWith($"node {Node} is draining", drain.Stdout, StringComparison.Ordinal);
            var drained = await fixture.Api.GetAsync($"/api/v1/nodes/{Node}");
            Assert.False(drained.GetProperty("eligible").GetBoolean());
            Assert.Equal(JsonValueKind.Object, drained.GetProperty("drain").ValueKind);

            var shown = (await cli.RunAsync("nodes", "show", Node, "--json")).Expect(0);
            Assert.True(JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("drain").TryGetProperty("deadline", out _), shown.Stdout);

            var resumed = (await cli.RunAsync("nodes", "eligible", Node, "true")).Expect(0);
            Assert.Equal($"node {Node} takes new engines", resumed.Stdout.Trim());
            var eligible = await fixture.Api.GetAsync($"/api/v1/nodes/{Node}");
            Assert.True(eligible.GetProperty("eligible").GetBoolean());
            Assert.True(!eligible.TryGetProperty("drain", out var drainLeft) || drainLeft.ValueKind == JsonValueKind.Null, $"the drain is still there: {eligible}");

            (await cli.RunAsync("nodes", "eligible", Node, "false")).Expect(0);
            Assert.False((await fixture.Api.GetAsync($"/api/v1/nodes/{Node}")).GetProperty("eligible").GetBoolean());
        }
        finally
        {
            // The other tests of this silo need the node.
            await fixture.Api.PostAsync($"/api/v1/nodes/{Node}/eligibility", """{"eligible":true}""");
        }
    }

    [Fact]
    public async Task Quotas_set_then_get_shows_the_limits_in_force()
    {
        var cli = fixture.Cli;
        (await cli.RunAsync("quotas", "set", "quser-ETL", "--instances", "3", "--memory", "4g")).Expect(0);
        var typed = (await cli.RunAsync("quotas", "set", "quser-ETL", "--type", "shell-1", "--instances", "1")).Expect(0);
        Assert.Contains(typed.StdoutLines, l => l.StartsWith("quser-ETL", StringComparison.Ordinal) && l.Contains("shell-1", StringComparison.Ordinal) && l.Contains("0 / 1", StringComparison.Ordinal));

        var json = (await cli.RunAsync("quotas", "get", "quser-ETL", "--json")).Expect(0);
        var quota = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(3, quota.GetProperty("all").GetProperty("max").GetProperty("instances").GetInt64());
        Assert.Equal(4L << 30, quota.GetProperty("all").GetProperty("max").GetProperty("memory").GetInt64());
        Assert.Equal("Api", quota.GetProperty("all").GetProperty("source").GetString());
        var shell = Assert.Single(quota.GetProperty("engineTypes").EnumerateArray());
        Assert.Equal(1, shell.GetProperty("max").GetProperty("instances").GetInt64());

        // Bare "quotas" is "quotas get" of every quota.
        var table = (await cli.RunAsync("quotas")).Expect(0);
        Assert.Contains(table.StdoutLines, l => l.StartsWith("quser-ETL", StringComparison.Ordinal) && l.Contains("(all)", StringComparison.Ordinal)
            && l.Contains("0 / 4g", StringComparison.Ordinal) && l.Contains("0 / 3", StringComparison.Ordinal) && l.Contains("Api", StringComparison.Ordinal));

        var refused = (await cli.RunAsync("quotas", "set", "quser-ETL", "--instances", "-1")).Expect(1);
        Assert.Contains("instances", refused.Stderr, StringComparison.Ordinal);
    }
}
