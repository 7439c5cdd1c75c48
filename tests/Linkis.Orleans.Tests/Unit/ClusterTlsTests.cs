using System.Security.Cryptography;
using System.Text;
using Linkis.Orleans.Client.Cluster;
using Microsoft.Extensions.Configuration;

namespace Linkis.Orleans.Tests.Unit;

public sealed class ClusterTlsTests
{
    [Fact]
    public void The_cluster_certificate_and_listed_ones_are_trusted_by_either_hash_others_are_not()
    {
        using var cluster = ClusterCertificate.Load(ClusterCertificate.Shared);
        using var bySha1 = ClusterCertificate.Load(ClusterCertificate.Create("by-sha1"));
        using var bySha256 = ClusterCertificate.Load(ClusterCertificate.Create("by-sha256"));
        using var stranger = ClusterCertificate.Load(ClusterCertificate.Create("stranger"));
        var sha256 = string.Join(':', bySha256.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(c => new string(c)).ToArray()).ToLowerInvariant();

        var tls = new ClusterTls(cluster, [bySha1.Thumbprint, sha256]);

        Assert.True(tls.Trusts(cluster));
        Assert.True(tls.Trusts(bySha1));
        Assert.True(tls.Trusts(bySha256));
        Assert.False(tls.Trusts(stranger));
    }

    [Fact]
    public void An_expired_certificate_is_not_trusted_even_when_listed()
    {
        using var cluster = ClusterCertificate.Load(ClusterCertificate.Shared);
        using var expired = ClusterCertificate.Load(ClusterCertificate.Create("expired", notBefore: DateTimeOffset.UtcNow.AddDays(-2), notAfter: DateTimeOffset.UtcNow.AddDays(-1)));

        Assert.False(new ClusterTls(cluster, [expired.Thumbprint]).Trusts(expired));
    }

    [Fact]
    public void No_path_is_no_tls_and_an_empty_json_list_lists_nothing()
    {
        var errors = new List<string>();
        Assert.Null(ClusterTls.Read(new ConfigurationBuilder().Build(), errors, DateTimeOffset.UtcNow));

        var json = $$"""{ "Linkis": { "Cluster": { "Tls": { "CertificatePath": "{{ClusterCertificate.Shared}}", "AllowedThumbprints": [] } } } }""";
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var tls = ClusterTls.Read(configuration, errors, DateTimeOffset.UtcNow);

        Assert.Empty(errors);
        Assert.NotNull(tls);
        Assert.Empty(tls.AllowedThumbprints);
    }

    [Fact]
    public void Thumbprints_without_a_certificate_are_an_error_naming_both_keys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Linkis:Cluster:Tls:AllowedThumbprints:0", (string?)new string('A', 64))]).Build();
        var errors = new List<string>();

        Assert.Null(ClusterTls.Read(configuration, errors, DateTimeOffset.UtcNow));
        Assert.Equal("Linkis:Cluster:Tls:AllowedThumbprints is set but Linkis:Cluster:Tls:CertificatePath is not; the thumbprints only widen a cluster certificate's trust.", Assert.Single(errors));
    }

    [Fact]
    public void A_certificate_lacking_client_authentication_is_refused()
    {
        var path = ClusterCertificate.Create("server-only", serverOnly: true);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(ClusterTls.CertificatePathKey, (string?)path)]).Build();
        var errors = new List<string>();

        Assert.Null(ClusterTls.Read(configuration, errors, DateTimeOffset.UtcNow));
        Assert.Contains("lacks serverAuth or clientAuth", Assert.Single(errors));
    }
}
