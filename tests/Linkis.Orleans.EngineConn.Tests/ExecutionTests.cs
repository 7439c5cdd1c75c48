using System.Collections.Concurrent;
using System.Diagnostics;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;

namespace Linkis.Orleans.EngineConn.Tests;

/// <summary>Executions with ids: output files as they grow, cancel, and the same id attaching instead of running twice.</summary>
public sealed class ExecutionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ExecuteMessage Execution(string id, string code, int graceMilliseconds = 5000) =>
        new(code, (int)Timeout.TotalMilliseconds, id, graceMilliseconds);

    [Fact]
    public async Task Output_is_in_the_execution_files_and_announced_as_it_is_printed()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        var announced = new ConcurrentQueue<(OutputMessage Message, long ElapsedMs)>();
        var clock = Stopwatch.StartNew();

        var result = await client.ExecuteAsync(
            Execution("run-1", "echo one; sleep 1; echo two; echo err >&2"), Timeout,
            new SyncProgress(m => announced.Enqueue((m, clock.ElapsedMilliseconds))), CancellationToken.None);

        Assert.Equal("one\ntwo\n", result.Stdout);
        Assert.Equal(8, result.StdoutBytes);
        Assert.Equal(4, result.StderrBytes);
        Assert.Equal("one\ntwo\n", File.ReadAllText(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "run-1", "stdout")));
        Assert.Equal("err\n", File.ReadAllText(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "run-1", "stderr")));
        var stdout = announced.Where(a => a.Message.Stream == "stdout").ToList();
        Assert.Equal(8, stdout.Sum(a => a.Message.Length));
        Assert.Equal(0, stdout[0].Message.Offset);
        // "one" was announced a second before "two" was printed, not with the result.
        Assert.True(stdout[^1].ElapsedMs - stdout[0].ElapsedMs >= 500, $"announcements at {string.Join(", ", stdout.Select(a => a.ElapsedMs))} ms");
    }

    [Fact]
    public async Task The_same_id_sent_again_attaches_to_the_execution_instead_of_running_it_twice()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        var counter = Path.Combine(host.WorkDirectory, "runs");

        var first = client.ExecuteAsync(Execution("once-1", $"echo x >> {counter}; sleep 0.5; echo done"), Timeout, null, CancellationToken.None);
        var second = await (await host.ConnectAsync()).ExecuteAsync(Execution("once-1", "echo other"), Timeout, null, CancellationToken.None);
        var again = await client.ExecuteAsync(Execution("once-1", "echo other"), Timeout, null, CancellationToken.None);

        Assert.Equal("done\n", (await first).Stdout);
        Assert.Equal("done\n", second.Stdout);
        Assert.Equal("done\n", again.Stdout);
        Assert.Equal("x\n", File.ReadAllText(counter));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancelled_sleep_stops_at_once_and_the_shell_keeps_its_variables(bool hostStartedWithSigintIgnored)
    {
        await using var host = await EngineHostProcess.StartBashAsync(sigintIgnored: hostStartedWithSigintIgnored);
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("X=kept", Timeout, CancellationToken.None);

        var running = client.ExecuteAsync(Execution("sleep-1", "echo started; sleep 100; echo not-reached"), Timeout, null, CancellationToken.None);
        await WaitForFileAsync(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "sleep-1", "stdout"), "started");
        var clock = Stopwatch.StartNew();
        Assert.Equal(CancelOutcomes.Interrupting, await client.CancelAsync("sleep-1", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), CancellationToken.None));
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Cancelled);
        Assert.False(result.StateLost);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Equal("started\n", result.Stdout);
        Assert.Equal("kept\n", (await client.ExecuteAsync("echo $X", Timeout, CancellationToken.None)).Stdout);
        Assert.Equal(CancelOutcomes.Finished, await client.CancelAsync("sleep-1", TimeSpan.Zero, TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_loop_stops_and_what_follows_does_not_run()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var running = client.ExecuteAsync(Execution("loop-1", "echo started; while :; do :; done; echo not-reached"), Timeout, null, CancellationToken.None);
        await WaitForFileAsync(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "loop-1", "stdout"), "started");
        await client.CancelAsync("loop-1", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), CancellationToken.None);
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Cancelled);
        Assert.False(result.StateLost);
        Assert.Equal(130, result.ExitCode);
        Assert.DoesNotContain("not-reached", result.Stdout);
    }

    [Fact]
    public async Task Code_that_ignores_the_interrupt_is_killed_after_the_grace_and_the_executor_starts_afresh()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("X=kept", Timeout, CancellationToken.None);

        var running = client.ExecuteAsync(Execution("deaf-1", "trap '' INT; echo started; sleep 100", graceMilliseconds: 500), Timeout, null, CancellationToken.None);
        await WaitForFileAsync(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "deaf-1", "stdout"), "started");
        await client.CancelAsync("deaf-1", TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), CancellationToken.None);
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Cancelled);
        Assert.True(result.StateLost);
        Assert.Equal("gone\n", (await client.ExecuteAsync("echo ${X-gone}", Timeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task A_waiting_execution_that_is_cancelled_never_runs()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        var marker = Path.Combine(host.WorkDirectory, "second-ran");

        var first = client.ExecuteAsync(Execution("q-1", "sleep 0.5; echo first"), Timeout, null, CancellationToken.None);
        var second = client.ExecuteAsync(Execution("q-2", $"touch {marker}"), Timeout, null, CancellationToken.None);
        var third = client.ExecuteAsync(Execution("q-3", "echo third"), Timeout, null, CancellationToken.None);
        await Eventually.Until(async () => (await client.PingAsync(Timeout, CancellationToken.None)).Busy, "the first execution runs");
        var outcome = await client.CancelAsync("q-2", TimeSpan.Zero, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CancelOutcomes.Removed, outcome);
        Assert.True((await second).Cancelled);
        Assert.Equal("first\n", (await first).Stdout);
        Assert.Equal("third\n", (await third).Stdout);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Python_in_a_busy_loop_is_cancelled_with_KeyboardInterrupt_and_keeps_its_globals()
    {
        await using var host = await EngineHostProcess.StartPythonAsync();
        var client = await host.ConnectAsync();
        await client.ExecuteAsync("kept = 42", Timeout, CancellationToken.None);

        var running = client.ExecuteAsync(Execution("py-1", "print('started', flush=True)\nwhile True:\n    pass"), Timeout, null, CancellationToken.None);
        await WaitForFileAsync(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "py-1", "stdout"), "started");
        await client.CancelAsync("py-1", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), CancellationToken.None);
        var result = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Cancelled);
        Assert.False(result.StateLost);
        Assert.Contains("KeyboardInterrupt", result.Stderr);
        Assert.Equal("42\n", (await client.ExecuteAsync("print(kept)", Timeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task An_execution_log_stops_at_its_cap_and_says_so()
    {
        await using var host = await EngineHostProcess.StartBashAsync(configure: c => c with { MaxExecutionLogBytes = 1000, MaxOutputBytes = 100 });
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync(Execution("big-1", "head -c 5000 /dev/zero | tr '\\\\0' x"), Timeout, null, CancellationToken.None);

        Assert.True(result.LogTruncated);
        Assert.True(result.StdoutTruncated);
        Assert.Equal(1000, result.StdoutBytes);
        Assert.Equal(100, result.Stdout.Length);
        Assert.Equal(1000, new FileInfo(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "big-1", "stdout")).Length);
    }

    private static async Task WaitForFileAsync(string path, string text) =>
        await Eventually.Until(() => File.Exists(path) && File.ReadAllText(path).Contains(text, StringComparison.Ordinal), $"{path} holds '{text}'");

    /// <summary>Reports on the reader's thread, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SyncProgress(Action<OutputMessage> report) : IProgress<OutputMessage>
    {
        public void Report(OutputMessage value) => report(value);
    }
}
