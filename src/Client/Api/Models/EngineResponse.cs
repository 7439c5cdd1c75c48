using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>One engine, as the API shows it.</summary>
public sealed record EngineResponse
{
    public required string EngineId { get; init; }
    public required EngineStatus Status { get; init; }
    public bool Locked { get; init; }
    public string? LockedBy { get; init; }
    public DateTimeOffset? LockExpiresAt { get; init; }
    public required string Node { get; init; }
    public required string UserCreator { get; init; }
    public required string EngineType { get; init; }
    public required string User { get; init; }

    /// <summary>The Linux user the engine's processes run as: <see cref="User"/> when engines run as their users, else the silo's own user.</summary>
    public string? RunAs { get; init; }
    public int? Pid { get; init; }
    public bool? Reused { get; init; }
    public required ResourcesResponse Resources { get; init; }
    public required double IdleTimeoutSeconds { get; init; }
    public long ExecutionCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public EndReasonResponse? EndReason { get; init; }

    /// <summary>The properties it was started with: the ask's over the defaults, each with where it came from.</summary>
    public IReadOnlyDictionary<string, PropertyResponse>? Properties { get; init; }

    /// <summary>
    /// Its executor was killed and restarted to stop an execution that ignored the interrupt: its session state is gone.
    /// It runs its owner's executions still, but no ask is handed it, and it ends (Unhealthy) when idle.
    /// </summary>
    public bool StateLost { get; init; }

    /// <summary>A run-once engine for the job of the same id: it ends when its one execution does.</summary>
    public bool Job { get; init; }

    /// <summary>The warm pool holding it in reserve (<c>alice-IDE/shell-1</c>) until an ask is handed it; absent otherwise.</summary>
    public string? WarmPool { get; init; }

    /// <summary>Who it may be shared with: user, connection, group or server.</summary>
    public required string Share { get; init; }

    /// <summary>For a group or server engine: the users it has been handed to, who may use it as their own.</summary>
    public IReadOnlyList<string>? Sharers { get; init; }

    public static EngineResponse From(EngineInfo e, bool? reused = null) => new()
    {
        EngineId = e.EngineId,
        Status = e.Status,
        Locked = e.Locked,
        LockedBy = e.LockedBy,
        LockExpiresAt = e.LockExpiresAt,
        Node = e.Node,
        UserCreator = e.UserCreator,
        EngineType = e.EngineType,
        User = e.User,
        RunAs = e.RunAs,
        Pid = e.Pid,
        StateLost = e.StateLost,
        Job = e.Job,
        Reused = reused,
        Resources = ResourcesResponse.From(e.Resources),
        IdleTimeoutSeconds = e.IdleTimeout.TotalSeconds,
        ExecutionCount = e.ExecutionCount,
        CreatedAt = e.CreatedAt,
        ReadyAt = e.ReadyAt,
        LastActivityAt = e.LastActivityAt,
        EndedAt = e.EndedAt,
        EndReason = e.EndReason is { } r ? EndReasonResponse.From(r) : null,
        Properties = e.Properties.ToDictionary(p => p.Key, p => new PropertyResponse { Value = p.Value.Value, From = p.Value.From }, StringComparer.Ordinal),
        WarmPool = e.WarmPool,
        Share = e.Share.ToString().ToLowerInvariant(),
        Sharers = e.Sharers.Count > 0 ? e.Sharers : null,
    };
}
