namespace Linkis.Orleans.Grains.Engines;

/// <summary>What an ask should do next, as decided by the pool of its userCreator and engineType.</summary>
public enum PoolDecisionKind
{
    /// <summary>Use the idle engine named in the decision.</summary>
    Reuse,

    /// <summary>Start a new engine; a creation slot is reserved for the engine id the ask proposed.</summary>
    Create,

    /// <summary>As many engines as allowed are starting for this key; wait for one and ask again.</summary>
    Wait,
}

[GenerateSerializer, Immutable, Alias("Linkis.PoolDecision")]
public sealed record PoolDecision([property: Id(0)] PoolDecisionKind Kind, [property: Id(1)] string? EngineId)
{
    /// <summary>The pool's change count when it decided: a wait for a change returns at once if one came since.</summary>
    [Id(2)] public long Version { get; init; }

    /// <summary>The engine to reuse was in a warm pool's reserve: the ask hands it out (<see cref="IEngineLifecycle.HandOut"/>).</summary>
    [Id(3)] public bool FromWarmPool { get; init; }
}
