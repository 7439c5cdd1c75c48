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
        // The first runs before the id is sent again: on another connection, the second could otherwise arrive first.
        await Eventually.Until(() => File.Exists(counter), "the first execution to run", TimeSpan.FromSeconds(10));
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

    [Fact]
    public async Task A_finished_execution_asked_again_reads_its_text_back_from_its_files_and_says_when_they_are_gone()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();

        var first = await client.ExecuteAsync(Execution("files-1", "echo kept; echo warned >&2"), Timeout, null, CancellationToken.None);
        var again = await (await host.ConnectAsync()).ExecuteAsync(Execution("files-1", "echo other"), Timeout, null, CancellationToken.None);
        File.Delete(ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "files-1", "stdout"));
        var gone = await client.ExecuteAsync(Execution("files-1", "echo other"), Timeout, null, CancellationToken.None);

        Assert.Equal(("kept\n", "warned\n"), (first.Stdout, first.Stderr));
        Assert.Equal(("kept\n", "warned\n"), (again.Stdout, again.Stderr));
        Assert.Equal("", gone.Stdout);
        Assert.True(gone.StdoutTruncated, "a text that could not be read back is not the whole output");
        Assert.Equal(("warned\n", false), (gone.Stderr, gone.StderrTruncated));
    }

    [Fact]
    public async Task The_hosts_heap_limit_is_not_passed_on_to_the_executor()
    {
        await using var host = await EngineHostProcess.StartBashAsync(
            environment: new Dictionary<string, string> { [ProtocolConstants.HeapHardLimitVariable] = "8000000" });
        var client = await host.ConnectAsync();

        var result = await client.ExecuteAsync($"echo ${{{ProtocolConstants.HeapHardLimitVariable}-unset}}", Timeout, CancellationToken.None);

        Assert.Equal("unset\n", result.Stdout);
    }

    [Fact]
    public async Task A_full_disk_ends_the_log_not_the_execution()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        // Its stdout file is /dev/full: every write to it fails as on a disk with no room (ENOSPC).
        var path = ProtocolConstants.ExecutionOutputPath(host.WorkDirectory, "full-1", "stdout");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.CreateSymbolicLink(path, "/dev/full");

        var result = await client.ExecuteAsync(Execution("full-1", "echo one; echo two; (exit 4)"), Timeout, null, CancellationToken.None);

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("one\ntwo\n", result.Stdout);
        Assert.True(result.LogTruncated);
        Assert.Equal(0, result.StdoutBytes);
        Assert.Equal("ok\n", (await client.ExecuteAsync("echo ok", Timeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task A_daemon_holding_the_pipes_does_not_hold_an_execution_whose_executor_was_killed_to_stop_it()
    {
        await using var host = await EngineHostProcess.StartBashAsync();
        var client = await host.ConnectAsync();
        using var daemon = new LeftDaemon();

        var result = await client.ExecuteAsync(
                new ExecuteMessage($"{daemon.Start}; trap '' INT; echo started; while :; do :; done", 1000, "deaf-2", 500), Timeout, null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(daemon.IsRunning(), "the daemon holds the old executor's pipes still");
        Assert.True(result.TimedOut);
        Assert.True(result.StateLost);
        Assert.Equal("started\n", result.Stdout);
        Assert.Equal("ok\n", (await client.ExecuteAsync("echo ok", Timeout, CancellationToken.None)).Stdout);
    }

    private static async Task WaitForFileAsync(string path, string text) =>
        await Eventually.Until(() => File.Exists(path) && File.ReadAllText(path).Contains(text, StringComparison.Ordinal), $"{path} holds '{text}'");

    /// <summary>Reports on the reader's thread, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SyncProgress(Action<OutputMessage> report) : IProgress<OutputMessage>
    {
        public void Report(OutputMessage value) => report(value);
    }

    /// <summary>
    /// A process the code leaves behind outside the executor's tree (a subshell's child, re-parented when the subshell
    /// exits) that keeps the executor's stdout and stderr open; killed when the test is done.
    /// </summary>
    private sealed class LeftDaemon : IDisposable
    {
        // A duration no other process here sleeps for, so it is found by its command line.
        private readonly string _duration = $"{300 + Random.Shared.Next(1000)}.{Random.Shared.Next(1000, 9999)}";

        public string Start => $"(sleep {_duration} &)";

        public bool IsRunning() => Pgrep().Count > 0;

        public void Dispose()
        {
            foreach (var pid in Pgrep())
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException)
                {
                    // Gone already.
                }
            }
        }

        private List<int> Pgrep()
        {
            using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", $"^sleep {_duration}$"]) { RedirectStandardOutput = true })!;
            var pids = pgrep.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            pgrep.WaitForExit();
            return pids;
        }
    }
}
