using System.Net;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Draining a node of a cluster of three with real engine hosts: its idle engines stop at once, its busy one once its
/// execution ends, asks meanwhile go to the other nodes, and once it is eligible again it takes engines.
/// </summary>
public sealed class NodeDrainTests(ThreeNodeClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeClusterFixture>
{
    private const string Drained = "node-a";
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Draining_a_node_stops_its_idle_engines_now_its_busy_one_after_its_execution_and_sends_asks_elsewhere()
    {
        var cluster = fixture.Cluster;
        // Through another node's API: the drained node's own API must not be what the test depends on.
        var api = new LinkisApi(cluster["node-b"]);
        var node = $"/api/v1/nodes/{Drained}";
        try
        {
            var idle = new[] { await NodeAsks.AskReadyAsync(api, "dina-IDE", node: Drained), await NodeAsks.AskReadyAsync(api, "dina-IDE", node: Drained) };
            var busy = await NodeAsks.AskReadyAsync(api, "dina-nb", node: Drained);
            var release = Path.Combine(cluster[Drained].WorkRoot, $"release-{Guid.NewGuid():N}");
            // Runs until the test says so: the drain must wait for it however long it takes.
            var execution = api.ExecuteAsync(busy.EngineId, $"while [ ! -e {release} ]; do sleep 0.1; done; echo done", timeoutSeconds: 60);
            await Eventually.Until(async () => (await api.GetEngineAsync(busy.EngineId))!, e => e.Status == "Busy", "the third engine to be Busy", StopDeadline);

            var drain = (await api.PostAsync($"{node}/drain", new { deadline = "10m" })).Expect(HttpStatusCode.OK);
            Assert.True(drain.GetProperty("drain").ValueKind == System.Text.Json.JsonValueKind.Object, $"The drain should be in the answer: {drain}");
            foreach (var engine in idle)
            {
                var ended = await Eventually.Until(async () => (await api.GetEngineAsync(engine.EngineId))!, e => e.Status == "Success",
                    $"idle engine {engine.EngineId} to stop for the drain", StopDeadline);
                Assert.Equal("Drained", ended.EndKind);
                await EngineChecks.WaitProcessGroupGoneAsync(engine.Pid!.Value, StopDeadline);
            }

            foreach (var engine in idle)
            {
                await EngineChecks.WaitReleasedAsync(new LinkisApi(cluster[Drained]), "dina-IDE", engine.EngineId);
            }

            await Eventually.Until(async () => NodeAsks.VerdictOf(await NodeAsks.NodeAsync(api, Drained)), v => v.StartsWith("Draining", StringComparison.Ordinal),
                $"{Drained} to be listed Draining", StopDeadline);
            Assert.Equal("Busy", (await api.GetEngineAsync(busy.EngineId))!.Status);
            EngineChecks.AssertProcessAlive(busy.Pid!.Value);
            var meanwhile = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                meanwhile.Add(NodeAsks.NodeOf(await NodeAsks.AskReadyAsync(api, "eli-IDE")));
            }

            Assert.True(meanwhile.All(n => n != Drained), $"Asks while {Drained} drains should land elsewhere: [{string.Join(", ", meanwhile)}]");
            var refused = (await NodeAsks.AskAsync(api, "eli-IDE", node: Drained)).ExpectProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("draining", refused.GetProperty("detail").GetString()!, StringComparison.Ordinal);

            await File.WriteAllTextAsync(release, "");
            var result = (await execution).Expect(HttpStatusCode.OK);
            Assert.True(result.GetProperty("exitCode").GetInt32() == 0 && result.GetProperty("stdout").GetString() == "done\n",
                $"The busy engine's execution should finish untouched by the drain: {result}");
            var afterwards = await Eventually.Until(async () => (await api.GetEngineAsync(busy.EngineId))!, e => e.Status == "Success",
                "the busy engine to stop once its execution ended", StopDeadline);
            Assert.Equal("Drained", afterwards.EndKind);
            await EngineChecks.WaitProcessGroupGoneAsync(busy.Pid!.Value, StopDeadline);
            output.WriteLine($"drained {Drained}: idle engines stopped at once, the busy one after its execution; asks meanwhile landed on [{string.Join(", ", meanwhile)}]");
        }
        finally
        {
            (await api.PostAsync($"{node}/eligibility", new { eligible = true })).Expect(HttpStatusCode.OK);
            await api.KillCreatedAsync();
        }

        await Eventually.Until(async () => NodeAsks.VerdictOf(await NodeAsks.NodeAsync(api, Drained)), v => v == "Healthy",
            $"{Drained} to be Healthy once eligible again", StopDeadline);
        var again = await NodeAsks.AskReadyAsync(api, "dina-IDE", node: Drained);
        Assert.Equal(Drained, NodeAsks.NodeOf(again));
        await api.KillCreatedAsync();
    }
}
