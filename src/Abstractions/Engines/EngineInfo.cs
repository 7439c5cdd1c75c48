using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>What a client sees of one engine.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineInfo")]
public sealed record EngineInfo
{
    [Id(0)] public required string EngineId { get; init; }
    [Id(1)] public required EngineStatus Status { get; init; }
    [Id(2)] public bool Locked { get; init; }
    [Id(3)] public required string Node { get; init; }
    [Id(4)] public required string UserCreator { get; init; }
    [Id(5)] public required string EngineType { get; init; }
    [Id(6)] public required string User { get; init; }
    [Id(7)] public int? Pid { get; init; }
    [Id(8)] public required ResourceVector Resources { get; init; }
    [Id(9)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(10)] public DateTimeOffset? ReadyAt { get; init; }
    [Id(11)] public DateTimeOffset? LastActivityAt { get; init; }
    [Id(12)] public DateTimeOffset? EndedAt { get; init; }
    [Id(13)] public EndReason? EndReason { get; init; }
    [Id(14)] public required TimeSpan IdleTimeout { get; init; }
    [Id(15)] public string? LockedBy { get; init; }
    [Id(16)] public long ExecutionCount { get; init; }
    [Id(17)] public DateTimeOffset? LockExpiresAt { get; init; }

    /// <summary>The Linux user the engine's processes run as: its label's user, or the silo's own in development mode.</summary>
    [Id(18)] public string? RunAs { get; init; }

    /// <summary>Since when its node has been out of reach; only while <see cref="EngineStatus.Unreachable"/>.</summary>
    [Id(19)] public DateTimeOffset? UnreachableSince { get; init; }

    /// <summary>The properties it was started with, the ask's merged over the defaults, each with where it came from.</summary>
    [Id(20)] public IReadOnlyDictionary<string, Defaults.PropertyValue> Properties { get; init; } = new Dictionary<string, Defaults.PropertyValue>();

    /// <summary>The warm pool holding the engine in reserve: no ask has been handed it yet, and it is not idle-reaped. Null otherwise.</summary>
    [Id(21)] public string? WarmPool { get; init; }

    /// <summary>Who it may be shared with: as its ask chose.</summary>
    [Id(22)] public ShareLevel Share { get; init; }

    /// <summary>For a group or server engine: the users it has been handed to, who may use it as their own.</summary>
    [Id(23)] public IReadOnlyList<string> Sharers { get; init; } = [];

    /// <summary>
    /// Its executor was killed and restarted to stop an execution that ignored its interrupt: the session state is gone.
    /// It still runs its owner's executions, but steps aside: no ask is handed it, and it ends (Unhealthy) when idle.
    /// </summary>
    [Id(24)] public bool StateLost { get; init; }

    /// <summary>A run-once engine for one job (its id is the job's): it ends when its one execution does.</summary>
    [Id(25)] public bool Job { get; init; }
}
