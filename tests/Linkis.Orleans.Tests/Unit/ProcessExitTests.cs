using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Linkis.Orleans.Tests.Unit;

public sealed class ProcessExitTests
{
    [Fact]
    public void Each_way_of_dying_reads_as_a_reason()
    {
        var killed = ProcessExit.Unrecorded(null, 9).ToUnrequestedEndReason();
        Assert.Equal(EndReasonKind.ProcessExited, killed.Kind);
        Assert.Equal(9, killed.Signal);
        Assert.Contains("signal 9", killed.Message);

        var executor = new ProcessExit(3, null, EngineExitReason.ExecutorExited, 7, null, null).ToUnrequestedEndReason();
        Assert.Equal(EndReasonKind.ExecutorExited, executor.Kind);
        Assert.Equal(7, executor.ExitCode);
        Assert.Contains("code 7", executor.Message);

        var orphaned = new ProcessExit(0, null, EngineExitReason.Orphaned, null, null, null).ToUnrequestedEndReason();
        Assert.Equal(EndReasonKind.HeartbeatLost, orphaned.Kind);

        var unhealthy = new ProcessExit(3, null, EngineExitReason.Unhealthy, null, 9, "the executor did not come back to its prompt").ToUnrequestedEndReason();
        Assert.Equal(EndReasonKind.Unhealthy, unhealthy.Kind);
        Assert.Equal("the executor did not come back to its prompt", unhealthy.Message);
    }

    [Fact]
    public void An_engine_the_kernel_killed_over_its_memory_limit_ends_for_that_reason_not_for_a_signal()
    {
        var exit = new ProcessExit(3, null, EngineExitReason.ExecutorExited, null, 9, null, MemoryLimitKilled: 64L << 20);

        var reason = exit.ToUnrequestedEndReason();

        Assert.Equal(EndReasonKind.MemoryLimit, reason.Kind);
        Assert.Equal("used more than its 64m of memory (the kernel's memory limit killed it)", reason.Message);
        Assert.Equal(9, reason.Signal);
        Assert.Null(reason.ExitCode);
    }

    [Theory]
    [InlineData(EngineExitReason.ExecutorExited)]
    [InlineData(EngineExitReason.Orphaned)]
    [InlineData(null)]
    public void A_process_exit_crosses_silos_with_its_typed_host_reason(EngineExitReason? reason)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var exit = new ProcessExit(3, null, reason, 7, null, "said", MemoryLimitKilled: 1L << 30);

        var copy = serializer.Deserialize<ProcessExit>(serializer.SerializeToArray(exit));

        Assert.Equal(exit, copy);
    }

    [Fact]
    public void Log_tail_returns_the_last_lines()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, Enumerable.Range(1, 500).Select(i => $"line {i}"));
            Assert.Equal(["line 499", "line 500"], LogTail.Read(path, 2));
            Assert.Equal(500, LogTail.Read(path, 1000).Count);
            Assert.Empty(LogTail.Read(path + ".missing", 10));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
