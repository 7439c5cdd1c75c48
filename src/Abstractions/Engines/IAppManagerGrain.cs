namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>
/// The AppManager (Linkis' LinkisManager AM): validates an ask, reuses an idle engine that fits, or chooses a node,
/// books resources and starts a new engine. Stateless; any silo answers.
/// </summary>
[Alias("Linkis.IAppManagerGrain")]
public interface IAppManagerGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Returns an engine that is ready to execute, or an error saying why there is none. Cancelling the token (the
    /// asker went away) stops the ask; an engine it had started is ended and its resources released.
    /// </summary>
    [Alias("Ask"), ResponseTimeout(ServiceLimits.AskCallTimeout)]
    Task<AskResult> Ask(EngineAsk ask, CancellationToken cancellationToken = default);

    /// <summary>The installed engine plugins.</summary>
    [Alias("GetEngineTypes")]
    Task<IReadOnlyList<EngineTypeInfo>> GetEngineTypes();
}
