using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes.Watch;

/// <summary>
/// The cluster's side of one node (key: node name), placed anywhere, the node itself not required: whether its silo
/// is lost, and its admission (<see cref="INodeAdmissionGrain"/>, the same grain).
/// </summary>
[Alias("Linkis.INodeWatchGrain")]
public interface INodeWatchGrain : INodeAdmissionGrain
{
    /// <summary>The node's manager activated on <paramref name="silo"/>: it is back, if it was lost. Returns its admission.</summary>
    [Alias("OnNodeActive")]
    Task<NodeAdmission> OnNodeActive(string silo);

    /// <summary>Membership declared <paramref name="silo"/> dead; ignored unless it is the node's current silo.</summary>
    [Alias("OnSiloDead")]
    Task OnSiloDead(string silo, DateTimeOffset at);

    /// <summary>Since when the node has been lost, or null while its silo is alive.</summary>
    [Alias("GetLostSince"), AlwaysInterleave]
    Task<DateTimeOffset?> GetLostSince();
}
