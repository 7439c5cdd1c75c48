using System.Diagnostics;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Testing;

namespace Linkis.Orleans.Tests.Unit;

public sealed class ProcessSnapshotTests
{
    private const int SigStop = 19;

    [Fact]
    public async Task A_stopped_process_shows_state_T_and_its_threads()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            Assert.True(ProcessSignals.SignalProcess(sleeper.Id, SigStop));
            var line = await Eventually.Until(
                () => Task.FromResult(ProcessSnapshot.Describe(sleeper.Id)),
                snapshot => snapshot.Contains("state T", StringComparison.Ordinal),
                "the stopped sleep to show state T");

            Assert.Contains($"pid {sleeper.Id} state T", line, StringComparison.Ordinal);
            Assert.Contains("1 threads waiting in:", line, StringComparison.Ordinal);
        }
        finally
        {
            sleeper.Kill();
            await sleeper.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_running_process_lists_each_of_its_threads_and_its_children()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            // Just started, the child is still running its way into sleep (state R): the snapshot reads the state of the moment.
            await Eventually.Until(() => ProcessSignals.StatFields($"/proc/{child.Id}/stat") is [['S', ..], ..], $"sleep (pid {child.Id}) to be asleep");
            var line = ProcessSnapshot.Describe(Environment.ProcessId);
            var threads = Directory.GetDirectories($"/proc/{Environment.ProcessId}/task").Length;

            Assert.Matches(@"state [RS]", line);
            // Threads come and go in a test host: the count is of the moment the snapshot read them.
            Assert.Matches(@"; \d+ threads waiting in: ", line);
            Assert.True(threads > 1, $"a .NET process has more than one thread: {line}");
            Assert.Contains($"children: ", line, StringComparison.Ordinal);
            Assert.Contains($"{child.Id} S", line, StringComparison.Ordinal);
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    [Fact]
    public async Task A_process_that_is_gone_says_so()
    {
        using var done = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await done.WaitForExitAsync();

        Assert.Equal($"pid {done.Id} is gone", ProcessSnapshot.Describe(done.Id));
    }
}
