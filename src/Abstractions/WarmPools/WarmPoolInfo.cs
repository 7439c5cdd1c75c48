namespace Linkis.Orleans.Abstractions.WarmPools;

/// <summary>What a warm pool is doing about its reserve.</summary>
public enum WarmPoolStatus
{
    /// <summary>It holds at least its <c>minIdle</c> engines in reserve.</summary>
    Full,

    /// <summary>It is starting engines to fill its reserve.</summary>
    Filling,

    /// <summary>Its last start was refused or failed (quota full, no node, a start failure): it tries again shortly.</summary>
    Blocked,
}

/// <summary>A warm pool (<c>Linkis:WarmPool</c>): engines of one user-creator and engine type kept started ahead of asks.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.WarmPoolInfo")]
public sealed record WarmPoolInfo
{
    [Id(0)] public required string UserCreator { get; init; }
    [Id(1)] public required string EngineType { get; init; }
    [Id(2)] public int MinIdle { get; init; }
    [Id(3)] public int MaxIdle { get; init; }
    [Id(4)] public WarmPoolStatus Status { get; init; }

    /// <summary>The engines it holds in reserve, ready, oldest first.</summary>
    [Id(5)] public IReadOnlyList<string> Engines { get; init; } = [];

    /// <summary>Engines it is starting now.</summary>
    [Id(6)] public int Starting { get; init; }

    /// <summary>Engines it has handed to asks since it was first kept.</summary>
    [Id(7)] public long HandedOut { get; init; }

    /// <summary>Why its last start did not fill it (<see cref="WarmPoolStatus.Blocked"/>).</summary>
    [Id(8)] public string? LastError { get; init; }

    [Id(9)] public DateTimeOffset? LastRefillAt { get; init; }
}
