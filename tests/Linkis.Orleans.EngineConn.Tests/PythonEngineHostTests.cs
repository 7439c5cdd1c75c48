namespace Linkis.Orleans.EngineConn.Tests;

public sealed class PythonEngineHostTests
{
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Print_goes_to_stdout()
    {
        await using var host = await EngineHostProcess.StartPythonAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("print('hello from python')", ExecutionTimeout, CancellationToken.None);

        Assert.Equal("hello from python\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("python", client.Ready.Executor);
    }

    [Fact]
    public async Task Variables_persist_between_executions()
    {
        await using var host = await EngineHostProcess.StartPythonAsync();
        var client = await host.ConnectAsync();

        await client.ExecuteAsync("x = 41\ndef inc(v):\n    return v + 1", ExecutionTimeout, CancellationToken.None);
        var result = await client.ExecuteAsync("print(inc(x))", ExecutionTimeout, CancellationToken.None);

        Assert.Equal("42\n", result.Stdout);
    }

    [Fact]
    public async Task An_exception_exits_1_with_its_traceback_on_stderr_and_the_engine_lives_on()
    {
        await using var host = await EngineHostProcess.StartPythonAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("print('before')\nraise ValueError('bad value')", ExecutionTimeout, CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("before\n", result.Stdout);
        Assert.Contains("Traceback (most recent call last)", result.Stderr);
        Assert.Contains("ValueError: bad value", result.Stderr);
        Assert.Equal("ok\n", (await client.ExecuteAsync("print('ok')", ExecutionTimeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task SystemExit_sets_the_exit_code_without_ending_the_engine()
    {
        await using var host = await EngineHostProcess.StartPythonAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("import sys\nsys.exit(5)", ExecutionTimeout, CancellationToken.None);

        Assert.Equal(5, result.ExitCode);
        Assert.Equal(0, (await client.ExecuteAsync("pass", ExecutionTimeout, CancellationToken.None)).ExitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_busy_loop_that_times_out_is_interrupted_and_the_engine_keeps_its_state(bool sigintIgnoredWhereTheHostStarted)
    {
        await using var host = await EngineHostProcess.StartPythonAsync(sigintIgnoredWhereTheHostStarted);
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("kept = 'yes'", ExecutionTimeout, CancellationToken.None);

        var result = await client.ExecuteAsync("import time\nwhile True:\n    time.sleep(0.01)", TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.Equal(124, result.ExitCode);
        Assert.True(result.TimedOut);
        Assert.Equal("yes\n", (await client.ExecuteAsync("print(kept)", ExecutionTimeout, CancellationToken.None)).Stdout);
    }
}
