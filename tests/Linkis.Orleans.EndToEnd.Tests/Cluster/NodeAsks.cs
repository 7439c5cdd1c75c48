using System.Net;
using System.Text.Json;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>Asks of the multi-node tests: a shell engine, optionally for one node (the <c>node</c> label), never reused unless said.</summary>
public static class NodeAsks
{
    public static object Body(string userCreator, string? node = null, bool reuse = false, IReadOnlyDictionary<string, string>? more = null)
    {
        var labels = new Dictionary<string, string> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" };
        if (node is not null)
        {
            labels["node"] = node;
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        return new Dictionary<string, object> { ["labels"] = labels, ["reuse"] = reuse, ["timeoutSeconds"] = 60 };
    }

    public static Task<ApiResponse> AskAsync(LinkisApi api, string userCreator, string? node = null, bool reuse = false, IReadOnlyDictionary<string, string>? more = null) =>
        api.PostAsync("/api/v1/engines", Body(userCreator, node, reuse, more));

    /// <summary>Asks and asserts the engine came up (200, Idle, a pid); it is added to the api's <see cref="LinkisApi.Created"/>.</summary>
    public static async Task<Engine> AskReadyAsync(LinkisApi api, string userCreator, string? node = null, bool reuse = false)
    {
        var engine = new Engine((await AskAsync(api, userCreator, node, reuse)).Expect(HttpStatusCode.OK));
        api.Created.Add(engine.EngineId);
        Assert.True(engine.Status == "Idle" && engine.Pid is not null, $"A fresh engine should be Idle with a pid: {engine}");
        return engine;
    }

    /// <summary>The node an engine runs on (its <c>node</c> field).</summary>
    public static string NodeOf(Engine engine) => engine.Json.GetProperty("node").GetString()!;

    /// <summary>One node as the API lists it (GET /api/v1/nodes/{name}).</summary>
    public static async Task<JsonElement> NodeAsync(LinkisApi api, string node) =>
        (await api.GetAsync($"/api/v1/nodes/{node}")).Expect(HttpStatusCode.OK);

    /// <summary>The node's verdict, and why when it is not Healthy.</summary>
    public static string VerdictOf(JsonElement node) =>
        node.GetProperty("verdict").GetString() + (node.TryGetProperty("verdictReason", out var why) && why.ValueKind == JsonValueKind.String ? $" ({why.GetString()})" : "");

    /// <summary>
    /// The engines the list shows on a node (GET /api/v1/engines?node=…): read from the engine directory, which the
    /// engines publish to, so reading it calls none of them. Empty while the list answers 503: the directory is one
    /// grain, out of reach until membership declares the dead silo it lived on dead.
    /// </summary>
    public static async Task<List<Engine>> ListedOnAsync(LinkisApi api, string node)
    {
        var response = await api.GetAsync($"/api/v1/engines?node={node}");
        return response.Status == HttpStatusCode.ServiceUnavailable
            ? []
            : [.. response.Expect(HttpStatusCode.OK).EnumerateArray().Select(e => new Engine(e.Clone()))];
    }

    /// <summary>Each node's name and verdict, as one line.</summary>
    public static async Task<string> VerdictsAsync(LinkisApi api) =>
        string.Join("; ", (await api.GetAsync("/api/v1/nodes")).Expect(HttpStatusCode.OK).EnumerateArray()
            .Select(n => $"{n.GetProperty("name").GetString()} {VerdictOf(n)}"));

    /// <summary>
    /// The engine, or null while the API answers 503: an engine's grain lives on its node's silo, and after that silo
    /// dies it is out of reach until membership declares the silo dead and the grain is activated elsewhere.
    /// </summary>
    public static async Task<Engine?> EngineOnLostNodeAsync(LinkisApi api, string engineId)
    {
        var response = await api.GetAsync($"/api/v1/engines/{Uri.EscapeDataString(engineId)}");
        return response.Status == HttpStatusCode.ServiceUnavailable ? null : new Engine(response.Expect(HttpStatusCode.OK));
    }
}
