using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// Executions in production mode: one that runs while its silo is killed with -9 goes on in its host and ends, output
/// and all, through the restarted silo; one that was waiting runs once; and a follower on another silo of the cluster
/// sees the output of an engine on the first.
/// </summary>
public sealed class ExecutionSurvivalTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task An_execution_running_when_its_silo_is_killed_ends_Succeeded_through_the_restarted_silo_and_a_waiting_one_runs_once()
    {
        var connectionString = await postgres.NewDatabaseAsync("execsurvive");
        var args = ProductionSilo.Args(connectionString, "prod-execsurvive");
        await using var first = await SiloProcess.StartAsync(SiloLayout.Create("prod-execsurvive"), args);
        var api = new LinkisApi(first);
        var engine = await api.AskReadyAsync("erin-IDE");

        var running = (await api.SubmitAsync(engine.EngineId, "echo start; sleep 5; echo done")).GetProperty("executionId").GetString()!;
        var waiting = (await api.SubmitAsync(engine.EngineId, "echo ran >> runs; echo second")).GetProperty("executionId").GetString()!;
        var seen = await first.FollowAsync(running, stopAfter: e => e.Text.Contains("start", StringComparison.Ordinal));
        Assert.Equal("start\n", seen.Stdout());

        await first.KillAsync();
        var clock = Stopwatch.StartNew();
        EngineChecks.AssertProcessAlive(engine.Pid!.Value);
        await using var second = await SiloProcess.StartAsync(first.Layout, args);
        var siloReady = clock.Elapsed;
        api = new LinkisApi(second);
        try
        {
            // The follower that the crash cut off picks up where it was: the rest of the output, then the result.
            var resumed = await second.FollowAsync(running, lastEventId: seen.Last().Id, deadline: TimeSpan.FromSeconds(90));
            var ended = clock.Elapsed;
            Assert.Equal("done\n", resumed.Stdout());
            var result = resumed.Last();
            Assert.Equal("result", result.Type);
            Assert.Equal("Succeeded", result.Data.GetProperty("status").GetString());
            Assert.Equal(0, result.Data.GetProperty("exitCode").GetInt32());

            var whole = await api.GetAsync($"/api/v1/executions/{running}/output");
            Assert.Equal((HttpStatusCode.OK, "start\ndone\n"), (whole.Status, whole.Body));
            var queued = await api.WaitEndedAsync(waiting);
            Assert.Equal("Succeeded", queued.GetProperty("status").GetString());
            Assert.Equal("1\n", (await api.ExecuteOkAsync(engine.EngineId, "wc -l < runs")).Stdout);
            Assert.Equal(engine.Pid, (await api.GetEngineAsync(engine.EngineId))!.Pid);
            output.WriteLine($"Silo killed during 'sleep 5': the restarted silo was ready after {siloReady.TotalSeconds:0.00} s and the execution's result reached its follower after {ended.TotalSeconds:0.00} s (from the kill).");
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }

    [Fact]
    public async Task A_follower_on_another_silo_sees_the_output_of_an_engine_on_the_first()
    {
        var connectionString = await postgres.NewDatabaseAsync("execfollow");
        var args = ProductionSilo.Args(connectionString, "prod-execfollow");
        await using var a = await SiloProcess.StartAsync(SiloLayout.Create("prod-follow-a"), args);
        await using var b = await SiloProcess.StartAsync(SiloLayout.Create("prod-follow-b"), args);
        await ClusterNodes.WaitEachListsAllAsync(a, b);
        var api = new LinkisApi(a);
        try
        {
            var engine = await api.AskReadyAsync("fay-IDE");
            var engineNode = engine.Json.GetProperty("node").GetString();
            var other = engineNode == a.NodeName ? b : a;
            Assert.NotEqual(engineNode, other.NodeName);

            var id = (await api.SubmitAsync(engine.EngineId, "for i in 1 2 3; do echo $i; sleep 1; done")).GetProperty("executionId").GetString()!;
            var events = await other.FollowAsync(id);

            Assert.Equal("1\n2\n3\n", events.Stdout());
            var first = events.First(e => e.Type == "output");
            Assert.True(events.Last().At - first.At >= TimeSpan.FromSeconds(1.5), $"the output came all at the end: first at {first.At}, result at {events.Last().At}");
        }
        finally
        {
            await api.KillCreatedAsync();
        }
    }
}
