namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>Filter for listing engines; null parts match everything.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineFilter")]
public sealed record EngineFilter(
    [property: Id(0)] string? User = null,
    [property: Id(1)] string? EngineType = null,
    [property: Id(2)] EngineStatus? Status = null,
    [property: Id(3)] string? Node = null)
{
    /// <summary>The creator part of the engine's user-creator (<c>IDE</c> of <c>alice-IDE</c>).</summary>
    [Id(4)] public string? Creator { get; init; }

    /// <summary>Only Idle engines with no activity for at least this long.</summary>
    [Id(5)] public TimeSpan? IdleFor { get; init; }

    /// <summary>Only group or server engines that were handed to this user (<see cref="EngineInfo.Sharers"/>).</summary>
    [Id(6)] public string? SharedWith { get; init; }

    public bool IsEmpty => User is null && EngineType is null && Status is null && Node is null && Creator is null && IdleFor is null && SharedWith is null;

    public bool Matches(EngineInfo engine, DateTimeOffset now) =>
        (User is null || engine.User == User)
        && (EngineType is null || engine.EngineType == EngineType)
        && (Status is null || engine.Status == Status)
        && (Node is null || engine.Node == Node)
        && (Creator is null || engine.UserCreator.EndsWith("-" + Creator, StringComparison.Ordinal))
        && (IdleFor is not { } idle || (engine.Status == EngineStatus.Idle && engine.LastActivityAt is { } last && now - last >= idle))
        && (SharedWith is null || engine.Sharers.Contains(SharedWith, StringComparer.Ordinal));
}
