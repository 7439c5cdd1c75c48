using Linkis.Orleans.Abstractions.WarmPools;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>A warm pool: engines of one user-creator and engine type kept started ahead of asks (<c>Linkis:WarmPool</c>).</summary>
public sealed record WarmPoolResponse
{
    public required string UserCreator { get; init; }

    public required string EngineType { get; init; }

    /// <summary>Engines it keeps in reserve.</summary>
    public required int MinIdle { get; init; }

    /// <summary>Engines in reserve above this are stopped.</summary>
    public required int MaxIdle { get; init; }

    /// <summary>Full (at least minIdle in reserve), Filling (starting engines) or Blocked (its last start was refused or failed; see lastError).</summary>
    public required WarmPoolStatus Status { get; init; }

    /// <summary>The engines in its reserve, oldest first.</summary>
    public required IReadOnlyList<string> Engines { get; init; }

    /// <summary>Engines it is starting now.</summary>
    public required int Starting { get; init; }

    /// <summary>Engines it has handed to asks.</summary>
    public required long HandedOut { get; init; }

    /// <summary>Why its last start did not fill it.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastRefillAt { get; init; }

    public static WarmPoolResponse From(WarmPoolInfo pool) => new()
    {
        UserCreator = pool.UserCreator,
        EngineType = pool.EngineType,
        MinIdle = pool.MinIdle,
        MaxIdle = pool.MaxIdle,
        Status = pool.Status,
        Engines = pool.Engines,
        Starting = pool.Starting,
        HandedOut = pool.HandedOut,
        LastError = pool.LastError,
        LastRefillAt = pool.LastRefillAt,
    };
}
