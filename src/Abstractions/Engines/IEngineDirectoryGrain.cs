namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>The cluster-wide list of engines (key 0): each engine grain publishes its latest info here.</summary>
[Alias("Linkis.IEngineDirectoryGrain")]
public interface IEngineDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<EngineInfo>> List(EngineFilter filter);
}
