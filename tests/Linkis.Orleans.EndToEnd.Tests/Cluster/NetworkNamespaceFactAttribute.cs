using Linkis.Orleans.Testing.Cluster;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>A test that builds a <see cref="NetworkLab"/>: skipped, with the reason, where network namespaces cannot be made.</summary>
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (NetworkLab.WhyUnavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
