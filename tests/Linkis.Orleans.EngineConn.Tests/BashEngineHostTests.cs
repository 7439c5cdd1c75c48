using System.Diagnostics;
using Linkis.Orleans.EngineConn.Protocol;

namespace Linkis.Orleans.EngineConn.Tests;

public sealed class BashEngineHostTests
{
    private static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Ready_names_the_engine_and_its_running_executor()
    {
        await using var host = await EngineHostProcess.StartBashAsync();

        var client = await host.ConnectAsync();

        Assert.Equal(host.Context.EngineId, client.Ready.EngineId);
        Assert.Equal(host.Pid, client.Ready.HostPid);
        Assert.Equal("bash", client.Ready.Executor);
        Assert.True(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
        Assert.Equal(ProtocolConstants.ProtocolVersion, client.Ready.ProtocolVersion);
    }

    [Fact]
    public async Task A_hello_for_another_engine_is_refused_as_wrong_engine()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        await host.ConnectAsync();

        var refused = await Assert.ThrowsAsync<EngineHostProtocolException>(
            () => EngineHostClient.ConnectAsync(host.SocketPath, "someone-else", "test-node", pulseInterval: TimeSpan.Zero, TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal("wrong-engine", refused.ErrorCode);
        Assert.Contains(host.Context.EngineId, refused.Message);
    }

    [Fact]
    public async Task The_socket_is_private_to_its_owner()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        await host.ConnectAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.SocketPath));
    }

    [Fact]
    public async Task Echo_prints_hello()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("echo hello", ExecutionTimeout, CancellationToken.None);

        Assert.Equal("hello\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task Shell_state_persists_between_executions()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        await client.ExecuteAsync("greeting=persisted; cd /tmp; f() { echo \"from f\"; }", ExecutionTimeout, CancellationToken.None);
        var result = await client.ExecuteAsync("echo \"$greeting $PWD\"; f", ExecutionTimeout, CancellationToken.None);

        Assert.Equal("persisted /tmp\nfrom f\n", result.Stdout);
    }

    [Fact]
    public async Task A_failing_command_reports_its_exit_code_and_stderr()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("echo out; echo oops >&2; (exit 42)", ExecutionTimeout, CancellationToken.None);

        Assert.Equal(42, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
    }

    [Fact]
    public async Task Output_beyond_the_cap_is_dropped_and_flagged()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("head -c 200000 /dev/zero | tr '\\0' x; echo; echo after", ExecutionTimeout, CancellationToken.None);

        Assert.True(result.StdoutTruncated);
        Assert.Equal(host.Context.MaxOutputBytes, result.Stdout.Length);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("after\n", (await client.ExecuteAsync("echo after", ExecutionTimeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task Code_cannot_read_the_host_commands_from_stdin()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync("cat; echo done", ExecutionTimeout, CancellationToken.None);

        Assert.Equal("done\n", result.Stdout);
    }

    [Fact]
    public async Task A_timed_out_execution_answers_124_and_the_engine_keeps_working()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        // Answered long before sleep 30 would end: the execution was stopped, not waited out.
        var result = await client.ExecuteAsync("sleep 30", TimeSpan.FromMilliseconds(500), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        var after = await client.ExecuteAsync("echo still here", ExecutionTimeout, CancellationToken.None);
        Assert.Equal("still here\n", after.Stdout);
        Assert.True(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
    }

    [Fact]
    public async Task An_executor_that_does_not_stop_for_a_timed_out_execution_is_killed_and_started_afresh()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("X=kept", ExecutionTimeout, CancellationToken.None);

        // A builtin loop with SIGINT ignored: no interrupt stops it, so the executor is killed after the grace.
        var result = await client.ExecuteAsync(
            new("trap '' INT; while :; do :; done", 500, "stuck-1", CancelGraceMilliseconds: 500), TimeSpan.FromMilliseconds(500), progress: null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        Assert.True(result.StateLost);
        Assert.False(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
        var after = await client.ExecuteAsync("echo \"X=${X-gone}\"", ExecutionTimeout, CancellationToken.None);
        Assert.Equal("X=gone\n", after.Stdout);
        var status = await client.StatusAsync(CancellationToken.None);
        Assert.NotEqual(client.Ready.ExecutorPid, status.ExecutorPid);
        Assert.True(EngineHostProcess.IsAlive(status.ExecutorPid));
    }

    [Fact]
    public async Task Concurrent_executions_run_one_at_a_time_in_arrival_order()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var first = client.ExecuteAsync("n=1; sleep 0.2; echo $n", ExecutionTimeout, CancellationToken.None);
        var second = client.ExecuteAsync("n=$((n+1)); echo $n", ExecutionTimeout, CancellationToken.None);
        var pong = await client.PingAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal("1\n", (await first).Stdout);
        Assert.Equal("2\n", (await second).Stdout);
        Assert.True(pong.Busy);
    }

    [Fact]
    public async Task Ping_and_status_answer()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("true", ExecutionTimeout, CancellationToken.None);

        var pong = await client.PingAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        var status = await client.StatusAsync(CancellationToken.None);

        Assert.False(pong.Busy);
        Assert.Equal(1, pong.ExecutionsCompleted);
        Assert.Equal(host.Context.EngineId, status.EngineId);
        Assert.Equal(client.Ready.ExecutorPid, status.ExecutorPid);
        Assert.NotNull(status.LastActivityAt);
    }

    [Fact]
    public async Task A_ping_whose_wait_the_caller_bounds_answers_and_fails_once_the_host_is_gone()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("true", ExecutionTimeout, CancellationToken.None);

        var pongs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PingAsync(Timeout.InfiniteTimeSpan, CancellationToken.None)))
            .WaitAsync(EngineHostProcess.Deadline);

        Assert.All(pongs, pong => Assert.Equal(1, pong.ExecutionsCompleted));
        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);
        await client.Closed.WaitAsync(EngineHostProcess.Deadline);
        await Assert.ThrowsAsync<EngineHostConnectionLostException>(
            () => client.PingAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).WaitAsync(EngineHostProcess.Deadline));
    }

    [Fact]
    public async Task A_second_connection_can_attach_while_the_first_is_open()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var first = await host.ConnectAsync();
        await first.ExecuteAsync("shared=yes", ExecutionTimeout, CancellationToken.None);

        var second = await host.ConnectAsync();

        Assert.Equal("yes\n", (await second.ExecuteAsync("echo $shared", ExecutionTimeout, CancellationToken.None)).Stdout);
        Assert.Equal(first.Ready.ExecutorPid, second.Ready.ExecutorPid);
    }

    [Fact]
    public async Task Stop_ends_the_executor_and_the_host_with_exit_code_0()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        var background = await client.ExecuteAsync("sleep 60 & echo $!", ExecutionTimeout, CancellationToken.None);
        var backgroundPid = int.Parse(background.Stdout);

        await client.StopAsync("test is done", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(0, await host.WaitForExitAsync());
        var exit = host.ReadExitRecord();
        Assert.Equal(EngineExitReason.Stopped, exit.Reason);
        Assert.Equal("test is done", exit.Message);
        Assert.False(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
        Assert.False(EngineHostProcess.IsAlive(backgroundPid));
        Assert.False(File.Exists(host.SocketPath));
        await client.Closed.WaitAsync(EngineHostProcess.Deadline);
    }

    [Fact]
    public async Task An_executor_that_exits_ends_the_host_with_exit_code_3()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var background = await client.ExecuteAsync("sleep 60 >/dev/null 2>&1 & echo $!", ExecutionTimeout, CancellationToken.None);

        var result = await client.ExecuteAsync("echo bye; exit 7", ExecutionTimeout, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("bye\n", result.Stdout);
        Assert.Equal(3, await host.WaitForExitAsync());
        Assert.False(EngineHostProcess.IsAlive(int.Parse(background.Stdout)), "a background job of the executor outlived the host");
        var exit = host.ReadExitRecord();
        Assert.Equal(EngineExitReason.ExecutorExited, exit.Reason);
        Assert.Equal(7, exit.ExecutorExitCode);
        await client.Closed.WaitAsync(EngineHostProcess.Deadline);
        await Assert.ThrowsAsync<EngineHostConnectionLostException>(() => client.PingAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_host_nobody_talks_to_for_its_orphan_grace_exits()
    {
        await using var host = await EngineHostProcess.StartBashAsync(orphanGraceSeconds: 1);
        var client = await host.ConnectAsync();

        Assert.Equal(0, await host.WaitForExitAsync());

        var exit = host.ReadExitRecord();
        Assert.Equal(EngineExitReason.Orphaned, exit.Reason);
        Assert.False(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
    }

    [Fact]
    public async Task Sigterm_stops_the_executor_and_the_host_with_exit_code_0()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        Process.Start("kill", ["-TERM", host.Pid.ToString()]).WaitForExit();

        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.Equal(EngineExitReason.Signal, host.ReadExitRecord().Reason);
        Assert.False(EngineHostProcess.IsAlive(client.Ready.ExecutorPid));
    }
}
