using Linkis.Orleans.Client.Cluster;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// The Orleans ports trust whoever connects: without mutual TLS any process that reaches them is a client that may
/// call any grain as anyone. Engines run arbitrary code on the silo's host, so once they run as their users' own
/// accounts, those ports are the way around the HTTP API's authentication — hence a plaintext cluster is refused then.
/// </summary>
public static class ClusterTransport
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// What is wrong with the cluster transport for the effective <see cref="NodeOptions"/> (known only once the host
    /// is built: <see cref="NodeOptions.RunAsRequestingUser"/> is settled by PostConfigure); empty when all is well.
    /// </summary>
    public static IReadOnlyList<string> FindClusterTransportErrors(this IServiceProvider services, SiloConfiguration config)
    {
        bool runsAsUsers;
        try
        {
            runsAsUsers = services.GetRequiredService<IOptions<NodeOptions>>().Value.RunsAsUsers;
        }
        catch (OptionsValidationException)
        {
            // Reported with the other options' errors.
            return [];
        }

        if (!runsAsUsers)
        {
            return [];
        }

        if (config.Tls is null)
        {
            return config.AllowPlaintext
                ? []
                : [$"{ClusterTls.CertificatePathKey} is not set, yet engines run as their users ({NodeOptions.SectionName}:RunAsRequestingUser is true): "
                   + $"without mutual TLS on the silo port ({config.Endpoints.SiloPort}) and the gateway port ({config.Endpoints.GatewayPort}), every engine "
                   + "could connect to them as an Orleans client and call the cluster as any user. Set it to the cluster's PKCS#12 (PFX) certificate, "
                   + $"or set {SiloConfiguration.AllowPlaintextKey}=true only where no engine's user can reach those ports (e.g. firewalled)."];
        }

        var path = services.GetRequiredService<IConfiguration>()[ClusterTls.CertificatePathKey]!;
        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOthers) != 0
            ? [$"{ClusterTls.CertificatePathKey} is '{path}', whose mode is {Convert.ToString((int)mode, 8).PadLeft(4, '0')}: engines run as their users on this host, "
               + "and any of them that can read the cluster's key can call the cluster as anyone. Make it readable by the silo's user alone (chmod 600)."]
            : [];
    }

    /// <summary>Says at start how the Orleans ports are protected, and warns when they are not though engines run as users.</summary>
    public static void LogClusterTransport(this WebApplication app, SiloConfiguration config)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Linkis.Orleans.Silo.Cluster");
        var endpoints = config.Endpoints;
        if (config.Tls is { } tls)
        {
            ClusterTransportLog.MutualTls(logger, endpoints.SiloPort, endpoints.GatewayPort, tls.Certificate.Subject,
                tls.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), tls.Certificate.NotAfter.ToUniversalTime(), tls.AllowedThumbprints.Count);
        }
        else if (app.Services.GetRequiredService<IOptions<NodeOptions>>().Value.RunsAsUsers)
        {
            ClusterTransportLog.PlaintextWithUsers(logger, endpoints.SiloPort, endpoints.GatewayPort);
        }
        else
        {
            ClusterTransportLog.Plaintext(logger, endpoints.SiloPort, endpoints.GatewayPort);
        }
    }
}
