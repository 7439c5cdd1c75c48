using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Linkis.Orleans.Client.Cluster;

/// <summary>
/// Mutual TLS on the Orleans ports (silo-to-silo and gateway): one certificate the cluster shares, presented by every
/// silo and every trusted client, and required of every peer. A peer is accepted only if its certificate is that one
/// (same SHA-256 hash) or one listed in <see cref="AllowedThumbprints"/> — not any certificate that chains to a trusted
/// root, since the cluster's is typically self-signed and a public CA would vouch for anyone's.
/// </summary>
public sealed class ClusterTls
{
    public const string SectionName = "Linkis:Cluster:Tls";
    public const string CertificatePathKey = SectionName + ":CertificatePath";
    public const string CertificatePasswordKey = SectionName + ":CertificatePassword";
    public const string AllowedThumbprintsKey = SectionName + ":AllowedThumbprints";

    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    private readonly HashSet<string> _trusted;

    /// <param name="certificate">The cluster's certificate, with its private key.</param>
    /// <param name="allowedThumbprints">Other certificates to accept from peers: SHA-1 or SHA-256 hashes in hex (colons and spaces ignored).</param>
    public ClusterTls(X509Certificate2 certificate, IEnumerable<string>? allowedThumbprints = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The cluster certificate {certificate.Subject} has no private key.", nameof(certificate));
        }

        Certificate = certificate;
        AllowedThumbprints = [.. (allowedThumbprints ?? []).Select(t => NormalizeThumbprint(t) ?? throw new ArgumentException($"'{t}' is not a SHA-1 or SHA-256 thumbprint.", nameof(allowedThumbprints)))];
        _trusted = [Sha256(certificate), .. AllowedThumbprints];
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The extra certificates accepted from peers, as upper-case hex hashes.</summary>
    public IReadOnlyList<string> AllowedThumbprints { get; }

    /// <summary>
    /// Reads <c>Linkis:Cluster:Tls</c>: <see langword="null"/> when no certificate path is set; otherwise the loaded
    /// certificate, or <see langword="null"/> with one line per problem (each naming its key) added to <paramref name="errors"/>.
    /// </summary>
    public static ClusterTls? Read(IConfiguration configuration, ICollection<string> errors, DateTimeOffset now)
    {
        var path = configuration[CertificatePathKey];
        var thumbprintsSection = configuration.GetSection(AllowedThumbprintsKey);
        if (string.IsNullOrWhiteSpace(path))
        {
            if (thumbprintsSection.GetChildren().Any(c => !string.IsNullOrEmpty(c.Value)) || !string.IsNullOrEmpty(thumbprintsSection.Value))
            {
                errors.Add($"{AllowedThumbprintsKey} is set but {CertificatePathKey} is not; the thumbprints only widen a cluster certificate's trust.");
            }

            return null;
        }

        var allowed = new List<string>();
        // An empty JSON array reads as an empty value: nothing listed.
        foreach (var entry in thumbprintsSection.Value is { Length: > 0 } single ? [KeyValuePair.Create(AllowedThumbprintsKey, (string?)single)] : thumbprintsSection.AsEnumerable(makePathsRelative: false).Where(e => !string.IsNullOrEmpty(e.Value)))
        {
            if (NormalizeThumbprint(entry.Value!) is { } thumbprint)
                allowed.Add(thumbprint);
            else
                errors.Add($"{entry.Key} is '{entry.Value}'; it must be a certificate's SHA-1 (40 hex digits) or SHA-256 (64 hex digits) thumbprint.");
        }

        var certificate = Load(path, configuration[CertificatePasswordKey], errors);
        if (certificate is null)
        {
            return null;
        }

        var before = errors.Count;
        if (!certificate.HasPrivateKey)
        {
            errors.Add($"{CertificatePathKey} is '{path}', whose certificate ({certificate.Subject}) has no private key; it must be a PKCS#12 (PFX) file holding the certificate and its key.");
        }

        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            errors.Add($"{CertificatePathKey} is '{path}', whose certificate ({certificate.Subject}) expired at {certificate.NotAfter.ToUniversalTime():u}.");
        }
        else if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            errors.Add($"{CertificatePathKey} is '{path}', whose certificate ({certificate.Subject}) is not valid before {certificate.NotBefore.ToUniversalTime():u}.");
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
            && !(HasUsage(usages, ServerAuthenticationOid) && HasUsage(usages, ClientAuthenticationOid)))
        {
            errors.Add($"{CertificatePathKey} is '{path}', whose certificate's extended key usage lacks serverAuth or clientAuth; every silo and client presents it both ways, so it needs both (or no extended key usage at all).");
        }

        return errors.Count == before ? new ClusterTls(certificate, allowed) : null;
    }

    /// <summary>Reads <c>Linkis:Cluster:Tls</c> (see <see cref="Read(IConfiguration, ICollection{string}, DateTimeOffset)"/>), throwing with every problem.</summary>
    public static ClusterTls? Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var tls = Read(configuration, errors, DateTimeOffset.UtcNow);
        return errors.Count > 0 ? throw new InvalidOperationException(string.Join(Environment.NewLine, errors)) : tls;
    }

    /// <summary>Whether a peer presenting this certificate is one of the cluster: its certificate, or a listed one, and within its validity.</summary>
    public bool Trusts(X509Certificate2 peer)
    {
        var now = DateTime.UtcNow;
        if (peer.NotBefore.ToUniversalTime() > now || peer.NotAfter.ToUniversalTime() <= now)
        {
            return false;
        }

        return _trusted.Contains(Sha256(peer)) || _trusted.Contains(peer.Thumbprint.ToUpperInvariant());
    }

    /// <summary>Presents the cluster certificate, requires one of the peer (client or server alike) and accepts only <see cref="Trusts"/>.</summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        // Whatever acceptable issuers the server names, the one certificate the cluster knows is the one to present.
        options.LocalClientCertificateSelector = (_, _, _, _, _) => Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Chain and name errors are expected (self-signed, no host name): the hash decides.
        options.RemoteCertificateValidation = (certificate, _, _) => Trusts(certificate);
    }

    private static X509Certificate2? Load(string path, string? password, ICollection<string> errors)
    {
        if (!File.Exists(path))
        {
            errors.Add($"{CertificatePathKey} is '{path}', which does not exist (or cannot be read by this process).");
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or UnauthorizedAccessException or IOException)
        {
            errors.Add($"{CertificatePathKey} is '{path}', which cannot be read as a PKCS#12 (PFX) file with {CertificatePasswordKey} ({(password is null ? "not set" : "set")}): {e.Message}");
            return null;
        }
    }

    private static bool HasUsage(X509EnhancedKeyUsageExtension usages, string oid) =>
        usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == oid);

    private static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256).ToUpperInvariant();

    private static string? NormalizeThumbprint(string text)
    {
        var hex = string.Concat(text.Where(c => c is not (':' or ' '))).ToUpperInvariant();
        return hex.Length is 40 or 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }
}
