namespace Linkis.Orleans.Silo.Hosting;

/// <summary>The cluster transport's log lines, with their event ids.</summary>
internal static partial class ClusterTransportLog
{
    [LoggerMessage(EventId = 2300, EventName = "ClusterMutualTls", Level = LogLevel.Information,
        Message = "Cluster transport (silo port {SiloPort}, gateway port {GatewayPort}): mutual TLS with certificate {Subject} (SHA-256 {Hash}, expires {NotAfter:u}); {AllowedCount} other certificate(s) allowed")]
    public static partial void MutualTls(ILogger logger, int siloPort, int gatewayPort, string subject, string hash, DateTime notAfter, int allowedCount);

    [LoggerMessage(EventId = 2301, EventName = "ClusterPlaintextWithUsers", Level = LogLevel.Warning,
        Message = "Cluster transport (silo port {SiloPort}, gateway port {GatewayPort}) is plaintext though engines run as their users (Linkis:Cluster:AllowPlaintext is true): any engine that reaches these ports can call the cluster as any user")]
    public static partial void PlaintextWithUsers(ILogger logger, int siloPort, int gatewayPort);

    [LoggerMessage(EventId = 2302, EventName = "ClusterPlaintext", Level = LogLevel.Information,
        Message = "Cluster transport (silo port {SiloPort}, gateway port {GatewayPort}): plaintext, unauthenticated; engines run as the silo's own user")]
    public static partial void Plaintext(ILogger logger, int siloPort, int gatewayPort);
}
