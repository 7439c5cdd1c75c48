using Orleans.Hosting;

namespace Linkis.Orleans.Client.Cluster;

public static class ClusterTlsClientBuilderExtensions
{
    /// <summary>Connects to the gateways over mutual TLS with the cluster's certificate (see <see cref="ClusterTls"/>).</summary>
    public static IClientBuilder UseLinkisClusterTls(this IClientBuilder builder, ClusterTls tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return builder.UseTls(tls.Configure);
    }
}
