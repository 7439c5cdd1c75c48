using System.Net;

namespace Linkis.Orleans.EndToEnd.Tests;

/// <summary>Run-once jobs over HTTP: an engine for one execution, ending with it, its output kept.</summary>
[Collection(SiloCollection.Name)]
public sealed class JobTests(SiloFixture fixture) : IAsyncLifetime
{
    private readonly LinkisApi _api = fixture.Api;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.KillCreatedAsync();

    private async Task<(string JobId, string ExecutionId)> StartAsync(string userCreator, string code)
    {
        var job = (await _api.PostAsync("/api/v1/jobs", new { labels = new { userCreator, engineType = "shell-1" }, code, timeoutSeconds = 120 }))
            .Expect(HttpStatusCode.Accepted);
        var jobId = job.GetProperty("jobId").GetString()!;
        Assert.Equal(jobId, job.GetProperty("engineId").GetString());
        Assert.True(job.GetProperty("engine").GetProperty("job").GetBoolean());
        _api.Created.Add(jobId);
        return (jobId, job.GetProperty("executionId").GetString()!);
    }

    private Task<Engine> EndedAsync(string engineId) =>
        Eventually.Until(async () => (await _api.GetEngineAsync(engineId))!, e => e.Status is "Success" or "Failed", $"job engine {engineId} to end", TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_job_that_exits_3_ends_its_engine_Failed_with_exit_code_3_its_process_gone_its_resources_released_its_output_kept()
    {
        var (jobId, executionId) = await StartAsync("job1-IDE", "echo working; echo trouble >&2; exit 3");
        var pid = (await _api.GetEngineAsync(jobId))!.Pid!.Value;

        var engine = await EndedAsync(jobId);

        Assert.Equal(("Failed", "JobFailed"), (engine.Status, engine.EndKind));
        Assert.Equal(3, engine.EndReason!.Value.GetProperty("exitCode").GetInt32());
        var job = (await _api.GetAsync($"/api/v1/jobs/{jobId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Failed", job.GetProperty("execution").GetProperty("status").GetString());
        Assert.Equal(3, job.GetProperty("execution").GetProperty("exitCode").GetInt32());
        await EngineChecks.WaitProcessGroupGoneAsync(pid, TimeSpan.FromSeconds(5));
        await EngineChecks.WaitReleasedAsync(_api, "job1-IDE", jobId);
        Assert.Equal("working\n", (await _api.GetAsync($"/api/v1/executions/{executionId}/output")).Body);
        Assert.Equal("trouble\n", (await _api.GetAsync($"/api/v1/executions/{executionId}/output?stream=stderr")).Body);
    }

    [Fact]
    public async Task A_job_that_succeeds_ends_its_engine_Success_and_is_never_handed_to_an_ask()
    {
        var (jobId, _) = await StartAsync("job2-IDE", "sleep 1; echo fine");
        var asked = await _api.AskReadyAsync("job2-IDE");
        Assert.NotEqual(jobId, asked.EngineId);

        var engine = await EndedAsync(jobId);

        Assert.Equal(("Success", "JobFinished"), (engine.Status, engine.EndKind));
        Assert.Equal(0, engine.EndReason!.Value.GetProperty("exitCode").GetInt32());
        (await _api.PostAsync($"/api/v1/engines/{asked.EngineId}/executions", new { code = "true" })).Expect(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_cancelled_job_ends_Cancelled_and_its_engine_with_it()
    {
        var (jobId, executionId) = await StartAsync("job3-IDE", "sleep 100");
        await Eventually.Until(() => _api.GetExecutionAsync(executionId), e => e.GetProperty("status").GetString() == "Running", "the job to run");
        (await _api.PostAsync($"/api/v1/engines/{jobId}/executions", new { code = "true" })).ExpectProblem(HttpStatusCode.Conflict);

        var cancelled = (await _api.DeleteAsync($"/api/v1/jobs/{jobId}")).Expect(HttpStatusCode.OK);

        Assert.Equal("Cancelled", cancelled.GetProperty("execution").GetProperty("status").GetString());
        var engine = await EndedAsync(jobId);
        Assert.Equal(("Failed", "JobFailed"), (engine.Status, engine.EndKind));
        await EngineChecks.WaitReleasedAsync(_api, "job3-IDE", jobId);
        (await _api.DeleteAsync($"/api/v1/jobs/{jobId}")).ExpectProblem(HttpStatusCode.Conflict);
        (await _api.GetAsync("/api/v1/jobs/0123456789abcdef")).ExpectProblem(HttpStatusCode.NotFound);
    }
}
