using System.Net;

namespace Linkis.Orleans.Testing.Cluster;

/// <summary>
/// Where a node's silo sits on the network: the address it listens on and advertises, the command that puts it there
/// (e.g. <c>ip netns exec &lt;namespace&gt;</c>) and, when PostgreSQL is reached another way from there, the database's
/// endpoint as that node sees it.
/// </summary>
public sealed record NodeNetwork(IPAddress Address, IReadOnlyList<string> CommandPrefix, IPEndPoint? DatabaseEndpoint = null)
{
    /// <summary>This machine's loopback, as every single-machine test silo uses it.</summary>
    public static readonly NodeNetwork Loopback = new(IPAddress.Loopback, []);
}
