using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// An engine grain's persistent state. Written on Starting, on ready, on the end, and when an execution is submitted or
/// ends — not on Idle ⇄ Busy.
/// </summary>
[GenerateSerializer, Alias("Linkis.EngineState")]
public sealed record EngineState
{
    [Id(0)] public EngineStartSpec? Spec { get; init; }
    [Id(1)] public EngineStatus Status { get; init; }
    [Id(2)] public int? Pid { get; init; }
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public DateTimeOffset? ReadyAt { get; init; }
    [Id(5)] public DateTimeOffset? LastActivityAt { get; init; }
    [Id(6)] public DateTimeOffset? EndedAt { get; init; }
    [Id(7)] public EndReason? EndReason { get; init; }
    [Id(8)] public bool ResourcesReleased { get; init; }
    [Id(9)] public long ExecutionCount { get; init; }
    [Id(10)] public bool Locked { get; init; }
    [Id(11)] public string? LockedBy { get; init; }
    [Id(12)] public DateTimeOffset? LockExpiresAt { get; init; }

    /// <summary>The Linux user the node started the engine's host as.</summary>
    [Id(13)] public string? RunAs { get; init; }

    /// <summary>Since when its node has been out of reach (lost, or not answering); null while it is in touch.</summary>
    [Id(14)] public DateTimeOffset? UnreachableSince { get; init; }

    /// <summary>The warm pool holding it in reserve, until an ask is handed it: not idle-reaped meanwhile.</summary>
    [Id(15)] public string? WarmPool { get; init; }

    /// <summary>For a group or server engine: every user it has been handed to (its spec's first, then each new one).</summary>
    [Id(16)] public IReadOnlyList<string> Sharers { get; init; } = [];

    /// <summary>Its executions: those waiting or running, in order, then the last finished ones (see <see cref="ExecutionRecord"/>).</summary>
    [Id(17)] public IReadOnlyList<ExecutionRecord> Executions { get; init; } = [];

    /// <summary>Executions ever submitted: the next one is numbered one more.</summary>
    [Id(18)] public long ExecutionsSubmitted { get; init; }

    /// <summary>Its executor was killed and restarted to stop an execution: its session state is gone and it steps aside.</summary>
    [Id(19)] public bool StateLost { get; init; }
}

/// <summary>One execution as its engine keeps it; the code only until it has run.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ExecutionRecord")]
public sealed record ExecutionRecord([property: Id(0)] Abstractions.Executions.ExecutionInfo Info, [property: Id(1)] string? Code);
