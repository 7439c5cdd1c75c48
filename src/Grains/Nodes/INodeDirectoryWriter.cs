using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>How node managers push their reports (the same activation as <see cref="INodeDirectoryGrain"/>).</summary>
[Alias("Linkis.INodeDirectoryWriter")]
public interface INodeDirectoryWriter : IGrainWithIntegerKey
{
    [Alias("Report")]
    Task Report(NodeReport report);
}
