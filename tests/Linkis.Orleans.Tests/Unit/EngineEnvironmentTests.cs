using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Tests.Unit;

public sealed class EngineEnvironmentTests
{
    private const int MiB = 1024 * 1024;

    private static readonly EngineProcessRecord Record = new()
    {
        EngineId = "e1",
        Pid = 1,
        ProcessGroup = 1,
        User = "alice",
        StartedAt = DateTimeOffset.UnixEpoch,
        WorkDir = "/tmp/e1",
        SocketPath = "/tmp/e1/engine.sock",
        StdoutPath = "/tmp/e1/stdout.log",
        StderrPath = "/tmp/e1/stderr.log",
    };

    [Theory]
    [InlineData(64L * MiB, 1 * MiB, 48L * MiB)]
    [InlineData(1024L * MiB, 1 * MiB, 768L * MiB)]
    [InlineData(64L * MiB, 4 * MiB, 144L * MiB)]
    public void The_hosts_heap_gets_three_quarters_of_the_engines_memory_but_never_less_than_a_result_takes(
        long memory, int maxOutput, long expected) =>
        Assert.Equal(expected, EngineEnvironment.HostHeapLimit(memory, maxOutput));

    [Fact]
    public void The_host_is_told_its_heap_limit_in_the_hexadecimal_the_runtime_reads()
    {
        var environment = EngineEnvironment.ForHost(Record, account: null, frameworkDependent: false, memoryBytes: 64L * MiB, maxOutputBytes: MiB);

        // No 0x: the Native AOT runtime does not read the prefix, and ignores the whole value.
        Assert.Equal("3000000", environment[ProtocolConstants.HeapHardLimitVariable]);
    }

    [Fact]
    public void An_engine_without_a_memory_limit_leaves_its_hosts_heap_to_the_runtime() =>
        Assert.DoesNotContain(
            ProtocolConstants.HeapHardLimitVariable,
            EngineEnvironment.ForHost(Record, account: null, frameworkDependent: false, memoryBytes: 0, maxOutputBytes: MiB).Keys);
}
