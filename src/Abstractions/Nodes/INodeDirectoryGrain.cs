namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>The latest report of every worker node (key 0).</summary>
[Alias("Linkis.INodeDirectoryGrain")]
public interface INodeDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("List"), AlwaysInterleave]
    Task<IReadOnlyList<NodeReport>> List();
}
