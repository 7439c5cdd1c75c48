namespace Linkis.Orleans.Silo.Hosting;

/// <summary>How this silo joins its cluster. Section <c>Orleans</c>.</summary>
public sealed class SiloEndpointOptions
{
    public const string SectionName = "Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "linkis-dev";

    public string ServiceId { get; set; } = "linkis";
}

/// <summary>Where state lives. <c>Linkis:Storage</c>: <c>Memory</c> (development, the default).</summary>
public enum StorageMode
{
    Memory,
}
