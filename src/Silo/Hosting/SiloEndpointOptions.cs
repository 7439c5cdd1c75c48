namespace Linkis.Orleans.Silo.Hosting;

/// <summary>How this silo joins its cluster. Section <c>Orleans</c>.</summary>
public sealed class SiloEndpointOptions
{
    public const string SectionName = "Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "linkis-dev";

    public string ServiceId { get; set; } = "linkis";

    /// <summary>The address other silos and clients reach this one at; null = loopback in development, else this host's address.</summary>
    public System.Net.IPAddress? AdvertisedIPAddress { get; set; }
}

/// <summary>Where state lives: <c>Linkis:Storage</c>.</summary>
public enum StorageMode
{
    /// <summary>Development: localhost clustering, state in memory.</summary>
    Memory,

    /// <summary>Production: clustering, grain state and reminders in PostgreSQL (<c>ConnectionStrings:linkis</c>).</summary>
    PostgreSql,
}
