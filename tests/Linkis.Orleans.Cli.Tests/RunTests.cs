using System.Text.Json;

namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class RunTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task Run_runs_a_script_file_as_a_job_and_exits_with_its_exit_code()
    {
        using var dir = new TempDirectory();
        var script = dir.File("job.py", "import sys\nprint('hello from a job')\nprint('a warning', file=sys.stderr)\nsys.exit(5)\n");

        var run = (await fixture.Cli.RunAsync("run", "--type", "python-python3", "--user-creator", "jobber-ETL", script)).Expect(5);

        Assert.Equal("hello from a job\n", run.Stdout);
        Assert.Contains("a warning\n", run.Stderr, StringComparison.Ordinal);
        // The job's engine was started for it alone, and ended with it.
        var engines = await Eventually.Until(
            () => fixture.Api.GetAsync("/api/v1/engines?user=jobber"),
            list => list.EnumerateArray().Any(e => e.GetProperty("job").GetBoolean() && e.GetProperty("status").GetString() == "Failed"),
            "the job's engine to end Failed (JobFailed)", TimeSpan.FromSeconds(30));
        var engine = Assert.Single(engines.EnumerateArray());
        Assert.Equal("JobFailed", engine.GetProperty("endReason").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Run_with_inline_code_and_json_prints_one_event_per_line_under_the_default_user_creator()
    {
        var run = (await fixture.Cli.With("USER", "carol").RunAsync("run", "--type", "shell-1", "--code", "echo $((6*7))", "--json")).Expect(0);

        var events = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("job", events[0].GetProperty("event").GetString());
        // No --user-creator, no LINKIS_USER_CREATOR, no profile: $USER-CLI.
        Assert.Equal("carol-CLI", events[0].GetProperty("data").GetProperty("engine").GetProperty("userCreator").GetString());
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "output" && e.GetProperty("data").GetProperty("text").GetString() == "42\n");
        var result = events[^1];
        Assert.Equal("result", result.GetProperty("event").GetString());
        Assert.Equal("Succeeded", result.GetProperty("data").GetProperty("status").GetString());
    }
}
