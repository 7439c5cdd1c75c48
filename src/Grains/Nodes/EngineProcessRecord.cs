namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// A launched engine as the node's process table keeps it: enough to find the process again after a silo restart
/// (pid and kernel start time, since pids are reused) and to talk to its host (socket).
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineProcessRecord")]
public sealed record EngineProcessRecord
{
    [Id(0)] public required string EngineId { get; init; }
    [Id(1)] public required int Pid { get; init; }
    [Id(2)] public required int ProcessGroup { get; init; }
    [Id(3)] public required string User { get; init; }
    [Id(4)] public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The process start time in clock ticks since boot (/proc/&lt;pid&gt;/stat field 22).</summary>
    [Id(5)] public long KernelStartTime { get; init; }

    [Id(6)] public required string WorkDir { get; init; }
    [Id(7)] public required string SocketPath { get; init; }
    [Id(8)] public required string StdoutPath { get; init; }
    [Id(9)] public required string StderrPath { get; init; }
}
