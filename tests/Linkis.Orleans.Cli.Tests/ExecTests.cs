namespace Linkis.Orleans.Cli.Tests;

[Collection(CliSiloCollection.Name)]
public sealed class ExecTests(CliSiloFixture fixture)
{
    [Fact]
    public async Task Exec_writes_stdout_and_stderr_to_their_own_streams_and_exits_with_the_code_exit_code()
    {
        var id = await fixture.Api.AskShellAsync("execuser-IDE");

        var run = (await fixture.Cli.RunAsync("exec", id, "echo out; echo err >&2; exit 3")).Expect(3);

        Assert.Equal("out\n", run.Stdout);
        Assert.StartsWith("err\n", run.Stderr, StringComparison.Ordinal);
        run.HasNoStackTrace();
    }

    [Fact]
    public async Task Exec_reads_the_code_from_stdin_or_a_file_and_the_engine_keeps_its_state_between_them()
    {
        using var dir = new TempDirectory();
        var id = await fixture.Api.AskShellAsync("execuser-NB");
        var cli = fixture.Cli;

        var fromStdin = (await cli.RunWithInputAsync("X=41; echo from-stdin", "exec", id, "-")).Expect(0);
        Assert.Equal("from-stdin\n", fromStdin.Stdout);

        var fromFile = (await cli.RunAsync("exec", id, "--file", dir.File("step.sh", "X=$((X+1)); echo \"file says $X\"\n"))).Expect(0);
        Assert.Equal("file says 42\n", fromFile.Stdout);

        var timedOut = (await cli.RunAsync("exec", id, "sleep 5", "--timeout", "1")).Expect(124);
        Assert.Contains("timed out", timedOut.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_during_exec_cancels_the_execution_and_exits_130()
    {
        var id = await fixture.Api.AskShellAsync("ctrlc-IDE");
        await using var exec = fixture.Cli.Start("exec", id, "echo started; sleep 120; echo finished", "--timeout", "300");

        // The first line arrives while the code still runs: the output is followed live, not read at the end.
        await exec.WaitForStdoutAsync(s => s.Contains("started\n", StringComparison.Ordinal), "the first line of the execution");
        var executionId = $"{id}-1";
        Assert.Equal("Running", (await fixture.Api.GetAsync($"/api/v1/executions/{executionId}")).GetProperty("status").GetString());

        exec.Interrupt();
        var result = await exec.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, result.ExitCode);
        Assert.DoesNotContain("finished", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"cancelling execution {executionId}", result.Stderr, StringComparison.Ordinal);
        var execution = await fixture.Api.GetAsync($"/api/v1/executions/{executionId}");
        Assert.Equal("Cancelled", execution.GetProperty("status").GetString());
    }
}
