using Linkis.Orleans.Engines;

namespace Linkis.Orleans.Grains;

/// <summary>
/// The AppManager (Linkis' LinkisManager AM): validates an ask, reuses an idle engine that fits, or chooses a node,
/// books resources and starts a new engine. Stateless; any silo answers.
/// </summary>
[Alias("Linkis.IAppManagerGrain")]
public interface IAppManagerGrain : IGrainWithIntegerKey
{
    /// <summary>Returns an engine that is ready to execute, or an error saying why there is none.</summary>
    [Alias("Ask"), ResponseTimeout("00:11:00")]
    Task<AskResult> Ask(EngineAsk ask);

    /// <summary>The installed engine plugins.</summary>
    [Alias("GetEngineTypes")]
    Task<IReadOnlyList<EngineTypeInfo>> GetEngineTypes();
}
