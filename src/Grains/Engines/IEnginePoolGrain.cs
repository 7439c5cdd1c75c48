using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The engines of one <c>userCreator + engineType</c> key and their states: finds an idle engine to reuse and caps
/// concurrent creations, so a burst of asks does not start a burst of duplicate engines.
/// </summary>
[Alias("Linkis.IEnginePoolGrain")]
public interface IEnginePoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// An idle engine to reuse (on one of the ask's nodes when it narrows them; for a lease ask, only when it is first in
    /// the queue of lease asks), else a creation slot for the proposed engine, else wait.
    /// </summary>
    [Alias("Acquire")]
    Task<PoolDecision> Acquire(PoolRequest request);

    /// <summary>The ask is answered or gave up: it leaves the queue of lease asks.</summary>
    [Alias("Leave")]
    Task Leave(string askId);

    /// <summary>
    /// An engine of this key changed status (ended engines leave the pool); <paramref name="warm"/>: it is in a warm
    /// pool's reserve; <paramref name="stepsAside"/>: it lost its session state, and leaves the pool as an ended one does.
    /// </summary>
    [Alias("OnEngineChanged"), OneWay]
    Task OnEngineChanged(string engineId, EngineStatus status, bool locked, string node, bool warm = false, bool stepsAside = false);

    /// <summary>A creation slot reserved by <see cref="Acquire"/> ended without an engine.</summary>
    [Alias("CancelCreation")]
    Task CancelCreation(string engineId);

    /// <summary>
    /// Completes when the pool changes (an engine got ready or ended) or after <paramref name="timeout"/>; at once when it
    /// has changed since the decision whose <see cref="PoolDecision.Version"/> is <paramref name="seen"/>.
    /// </summary>
    [Alias("WaitForChange"), AlwaysInterleave]
    Task WaitForChange(long seen, TimeSpan timeout, CancellationToken cancellationToken = default);

    [Alias("ListEngines")]
    Task<IReadOnlyDictionary<string, EngineStatus>> ListEngines();
}
