using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>How engine grains keep the engine directory (the same activation as <see cref="IEngineDirectoryGrain"/>) current.</summary>
[Alias("Linkis.IEngineDirectoryWriter")]
public interface IEngineDirectoryWriter : IGrainWithIntegerKey
{
    [Alias("Publish"), OneWay]
    Task Publish(EngineInfo info);
}
