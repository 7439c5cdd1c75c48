using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Linkis.Orleans.Testing;

/// <summary>
/// Self-signed PKCS#12 certificates for the cluster transport's mutual TLS, written to a directory of this test run
/// (0700, removed when the run ends) as files only their owner reads (0600), as the silo demands when engines run as
/// their users. <see cref="Shared"/> is one certificate for the whole run, made once.
/// </summary>
public static class ClusterCertificate
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private static readonly Lazy<string> Directory = new(CreateDirectory);
    private static readonly Lazy<string> SharedPath = new(() => Create("linkis-test-cluster"));

    /// <summary>The run's cluster certificate file (no password).</summary>
    public static string Shared => SharedPath.Value;

    /// <summary>The silo argument that gives it <see cref="Shared"/>.</summary>
    public static string SiloArgument => $"--Linkis:Cluster:Tls:CertificatePath={Shared}";

    /// <summary>Writes a new self-signed certificate (RSA 2048, serverAuth and clientAuth unless <paramref name="serverOnly"/>) with its key (unless not <paramref name="withKey"/>) and returns its path.</summary>
    public static string Create(string subject, string? password = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool withKey = true, bool serverOnly = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(serverOnly ? [new Oid(ServerAuthenticationOid)] : [new Oid(ServerAuthenticationOid), new Oid(ClientAuthenticationOid)], critical: false));
        using var certificate = request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddDays(30));
        using var exported = withKey ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Path.Combine(Directory.Value, $"{subject}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, (exported ?? certificate).Export(X509ContentType.Pkcs12, password));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The certificate (with its key) in a file <see cref="Create"/> wrote.</summary>
    public static X509Certificate2 Load(string path, string? password = null) => X509CertificateLoader.LoadPkcs12FromFile(path, password);

    private static string CreateDirectory()
    {
        var path = System.IO.Directory.CreateTempSubdirectory("linkis-certs-").FullName;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}
