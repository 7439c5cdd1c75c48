using Linkis.Orleans.Engines;

namespace Linkis.Orleans.Grains;

/// <summary>Filter for listing engines; null parts match everything.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineFilter")]
public sealed record EngineFilter(
    [property: Id(0)] string? User = null,
    [property: Id(1)] string? EngineType = null,
    [property: Id(2)] EngineStatus? Status = null,
    [property: Id(3)] string? Node = null);

/// <summary>The cluster-wide list of engines (key 0): each engine grain publishes its latest info here.</summary>
[Alias("Linkis.IEngineDirectoryGrain")]
public interface IEngineDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Publish"), OneWay]
    Task Publish(EngineInfo info);

    [Alias("List")]
    Task<IReadOnlyList<EngineInfo>> List(EngineFilter filter);
}
