using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>Asks of the multi-node tests: a shell engine, optionally for one node (the <c>node</c> label), never reused unless said.</summary>
public static class NodeAsks
{
    public static object Body(string userCreator, string? node = null, bool reuse = false)
    {
        var labels = new Dictionary<string, string> { ["userCreator"] = userCreator, ["engineType"] = "shell-1" };
        if (node is not null)
        {
            labels["node"] = node;
        }

        return new Dictionary<string, object> { ["labels"] = labels, ["reuse"] = reuse, ["timeoutSeconds"] = 60 };
    }

    public static Task<ApiResponse> AskAsync(LinkisApi api, string userCreator, string? node = null, bool reuse = false) =>
        api.PostAsync("/api/v1/engines", Body(userCreator, node, reuse));

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
}
