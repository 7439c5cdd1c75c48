using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>What the cluster says about itself: nodes, engine types, the OpenAPI document.</summary>
[Collection(SiloCollection.Name)]
public sealed class ClusterApiTests(SiloFixture fixture)
{
    private readonly LinkisApi _api = fixture.Api;

    [Fact]
    public async Task Nodes_ListTheConfiguredNode_HealthyWithTheAotHost()
    {
        JsonElement node = default;
        var last = "";
        // The node reports on activation; allow it a moment on a freshly started silo.
        await Eventually.Until(async () =>
            {
                var response = await _api.GetAsync("/api/v1/nodes");
                last = response.ToString();
                var nodes = response.Expect(HttpStatusCode.OK);
                node = nodes.EnumerateArray().FirstOrDefault(n => n.GetProperty("name").GetString() == SiloFixture.NodeName);
                return node.ValueKind == JsonValueKind.Object;
            },
            $"node {SiloFixture.NodeName} in GET /api/v1/nodes", TimeSpan.FromSeconds(15), () => last);

        Assert.True(node.GetProperty("healthy").GetBoolean(), $"The node should be healthy: {node}");
        Assert.Equal("aot", node.GetProperty("engineHostKind").GetString());
        Assert.True(node.GetProperty("capacity").GetProperty("instances").GetInt64() > 0, $"The node has capacity: {node}");

        var one = (await _api.GetAsync($"/api/v1/nodes/{SiloFixture.NodeName}")).Expect(HttpStatusCode.OK);
        Assert.Equal(SiloFixture.NodeName, one.GetProperty("name").GetString());
        (await _api.GetAsync("/api/v1/nodes/no-such-node")).ExpectProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Drain_and_eligibility_close_and_reopen_the_node_and_say_what_is_wrong_with_bad_input()
    {
        var node = $"/api/v1/nodes/{SiloFixture.NodeName}";
        Assert.Contains("deadline", (await _api.PostAsync($"{node}/drain", new { deadline = "soon" })).ExpectProblem(HttpStatusCode.BadRequest).ToString());
        Assert.Contains("deadline", (await _api.PostAsync($"{node}/drain", new { deadline = "8d" })).ExpectProblem(HttpStatusCode.BadRequest).ToString());
        Assert.Contains("eligible", (await _api.PostAsync($"{node}/eligibility", new { })).ExpectProblem(HttpStatusCode.BadRequest).ToString());
        (await _api.PostAsync("/api/v1/nodes/no-such-node/drain", new { deadline = "1m" })).ExpectProblem(HttpStatusCode.NotFound);
        (await _api.PostAsync("/api/v1/nodes/no-such-node/eligibility", new { eligible = false })).ExpectProblem(HttpStatusCode.NotFound);

        var idle = await _api.AskReadyAsync("t31-IDE", reuse: false);
        try
        {
            var closed = (await _api.PostAsync($"{node}/eligibility", new { eligible = false })).Expect(HttpStatusCode.OK);
            Assert.False(closed.GetProperty("eligible").GetBoolean());
            var refused = (await _api.AskAsync("t31-IDE", reuse: false)).ExpectProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("not eligible", refused.ToString());
            Assert.Equal("Idle", (await _api.GetEngineAsync(idle.EngineId))!.Status);

            var drained = (await _api.PostAsync($"{node}/drain", new { deadline = "1m" })).Expect(HttpStatusCode.OK);
            Assert.Equal("anonymous", drained.GetProperty("drain").GetProperty("by").GetString());
            await Eventually.Until(async () => (await _api.GetEngineAsync(idle.EngineId))!, e => e.Status == "Success",
                "the idle engine to stop for the drain", TimeSpan.FromSeconds(30));
            Assert.Equal("Drained", (await _api.GetEngineAsync(idle.EngineId))!.Json.GetProperty("endReason").GetProperty("kind").GetString());
            await Eventually.Until(async () => (await _api.GetAsync(node)).Expect(HttpStatusCode.OK), n => n.GetProperty("verdict").GetString() == "Draining",
                "the node to report Draining", TimeSpan.FromSeconds(15));
        }
        finally
        {
            (await _api.PostAsync($"{node}/eligibility", new { eligible = true })).Expect(HttpStatusCode.OK);
        }

        await Eventually.Until(async () => (await _api.GetAsync(node)).Expect(HttpStatusCode.OK), n => n.GetProperty("verdict").GetString() == "Healthy" && n.GetProperty("eligible").GetBoolean(),
            "the node to be Healthy and eligible again", TimeSpan.FromSeconds(15));
        var again = await _api.AskReadyAsync("t31-IDE", reuse: false);
        await _api.KillAsync(again.EngineId);
    }

    [Fact]
    public async Task The_node_row_agrees_with_the_engine_list_soon_after_an_engine_starts_and_ends()
    {
        // Well inside the node's 10 s report period: starts and ends are reported when they happen.
        var soon = TimeSpan.FromSeconds(3);
        var engine = await _api.AskReadyAsync("t30-IDE");
        await Eventually.Until(() => NodeAgreesWithEngineList(), "the node's running count to include the new engine", soon, () => _lastCounts);

        await _api.KillAsync(engine.EngineId);
        await Eventually.Until(() => NodeAgreesWithEngineList(), "the node's running count to drop the killed engine", soon, () => _lastCounts);
    }

    private string _lastCounts = "";

    private async Task<bool> NodeAgreesWithEngineList()
    {
        var node = (await _api.GetAsync($"/api/v1/nodes/{SiloFixture.NodeName}")).Expect(HttpStatusCode.OK);
        var running = (await _api.ListEnginesAsync()).Count(e => e.Status is "Idle" or "Busy" && e.Json.GetProperty("node").GetString() == SiloFixture.NodeName);
        var reported = node.GetProperty("enginesRunning").GetInt32();
        _lastCounts = $"node reports {reported} running, the engine list has {running}";
        return reported == running;
    }

    [Fact]
    public async Task EngineTypes_ListShellAndPython()
    {
        var types = (await _api.GetAsync("/api/v1/engine-types")).Expect(HttpStatusCode.OK);
        var names = types.EnumerateArray().Select(t => t.GetProperty("engineType").GetString()).ToList();
        Assert.Contains("shell-1", names);
        Assert.Contains("python-python3", names);
        foreach (var type in types.EnumerateArray())
        {
            Assert.True(type.GetProperty("defaultResources").GetProperty("instances").GetInt64() >= 1, $"An engine is at least one instance: {type}");
        }
    }

    [Fact]
    public async Task OpenApi_IsValidJson_DescribingTheEnginesApi()
    {
        var response = await _api.GetAsync("/openapi/v1.json");
        var document = response.Expect(HttpStatusCode.OK);
        Assert.True(response.IsJson, $"/openapi/v1.json is not JSON: {response.Body[..Math.Min(500, response.Body.Length)]}");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/engines", out var engines), $"No /api/v1/engines path in: {string.Join(", ", paths.EnumerateObject().Select(p => p.Name))}");
        Assert.True(engines.TryGetProperty("post", out _), "POST /api/v1/engines is not documented");
        Assert.True(paths.TryGetProperty("/api/v1/engines/{engineId}/execute", out _), "The execute operation is not documented");
    }

    [Fact]
    public async Task Health_IsLive()
    {
        (await _api.GetAsync("/health/live")).Expect(HttpStatusCode.OK);
        (await _api.GetAsync("/health/ready")).Expect(HttpStatusCode.OK);
    }
}
