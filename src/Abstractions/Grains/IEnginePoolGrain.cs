using Linkis.Orleans.Engines;

namespace Linkis.Orleans.Grains;

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
public sealed record PoolDecision([property: Id(0)] PoolDecisionKind Kind, [property: Id(1)] string? EngineId);

/// <summary>
/// The engines of one <c>userCreator + engineType</c> key and their states: finds an idle engine to reuse and caps
/// concurrent creations, so a burst of asks does not start a burst of duplicate engines.
/// </summary>
[Alias("Linkis.IEnginePoolGrain")]
public interface IEnginePoolGrain : IGrainWithStringKey
{
    [Alias("Acquire")]
    Task<PoolDecision> Acquire(bool reuse, string proposedEngineId, int maxConcurrentCreates);

    /// <summary>An engine of this key changed status (ended engines leave the pool).</summary>
    [Alias("OnEngineChanged"), OneWay]
    Task OnEngineChanged(string engineId, EngineStatus status, bool locked);

    /// <summary>A creation slot reserved by <see cref="Acquire"/> ended without an engine.</summary>
    [Alias("CancelCreation")]
    Task CancelCreation(string engineId);

    /// <summary>Completes when the pool changes (an engine got ready or ended) or after <paramref name="timeout"/>.</summary>
    [Alias("WaitForChange"), AlwaysInterleave]
    Task WaitForChange(TimeSpan timeout);

    [Alias("ListEngines")]
    Task<IReadOnlyDictionary<string, EngineStatus>> ListEngines();
}
