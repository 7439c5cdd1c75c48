using System.Net;
using Linkis.Orleans.Client.Cluster;
using Linkis.Orleans.Grains.Options;
using Npgsql;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// Reads and checks the configuration the host needs before the silo exists (ports, node name, storage). Every
/// problem is reported at once, each naming its key, its value and the rule — so a bad setting stops the silo with a
/// line a person can act on, not a stack of retries.
/// </summary>
/// <param name="Kubernetes">The pod this silo runs in when <c>Linkis:Cluster:Kubernetes</c> is on (Orleans' Kubernetes hosting); else null.</param>
public sealed record SiloConfiguration(SiloEndpointOptions Endpoints, string NodeName, StorageMode Storage, string? ConnectionString, bool ApplySchema, ClusterTls? Tls, bool AllowPlaintext, KubernetesPod? Kubernetes = null)
{
    public const string AllowPlaintextKey = "Linkis:Cluster:AllowPlaintext";
    public const string StorageKey = "Linkis:Storage";
    public const string ApplySchemaKey = "Linkis:Storage:ApplySchema";
    public const string ConnectionStringKey = "ConnectionStrings:linkis";

    public static SiloConfiguration Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var endpoints = new SiloEndpointOptions();
        var section = configuration.GetSection(SiloEndpointOptions.SectionName);
        endpoints.SiloPort = Port(section, nameof(SiloEndpointOptions.SiloPort), endpoints.SiloPort, errors);
        endpoints.GatewayPort = Port(section, nameof(SiloEndpointOptions.GatewayPort), endpoints.GatewayPort, errors);
        endpoints.ClusterId = section[nameof(SiloEndpointOptions.ClusterId)] ?? endpoints.ClusterId;
        endpoints.ServiceId = section[nameof(SiloEndpointOptions.ServiceId)] ?? endpoints.ServiceId;
        if (endpoints.SiloPort == endpoints.GatewayPort)
        {
            errors.Add($"Orleans:SiloPort and Orleans:GatewayPort are both {endpoints.SiloPort}; they must differ.");
        }

        if (section[nameof(SiloEndpointOptions.AdvertisedIPAddress)] is { } advertised)
        {
            if (IPAddress.TryParse(advertised, out var address))
                endpoints.AdvertisedIPAddress = address;
            else
                errors.Add($"Orleans:AdvertisedIPAddress is '{advertised}', which is not an IP address.");
        }

        var storageText = configuration[StorageKey] ?? nameof(StorageMode.Memory);
        if (!Enum.TryParse<StorageMode>(storageText, ignoreCase: true, out var storage) || int.TryParse(storageText, out _))
        {
            errors.Add($"{StorageKey} is '{storageText}'; supported: {string.Join(", ", Enum.GetNames<StorageMode>())}.");
        }

        // In a pod the node is named after the pod (Orleans' Kubernetes hosting names the silo so), unless configured alike.
        var pod = KubernetesPod.Read(configuration, endpoints, storage, errors);
        var nodeName = configuration[$"{NodeOptions.SectionName}:Name"] ?? pod?.Name ?? Environment.MachineName;
        if (!Abstractions.Labels.LabelParser.IsValidNodeName(nodeName))
        {
            errors.Add($"{NodeOptions.SectionName}:Name is '{nodeName}'; it must be letters, digits, '_', '.' or '-', at most 63 characters, starting with a letter or digit.");
        }

        var connectionString = configuration[ConnectionStringKey];
        if (storage == StorageMode.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                errors.Add($"{StorageKey} is PostgreSql but {ConnectionStringKey} is not set (environment: ConnectionStrings__linkis), e.g. Host=db;Database=linkis;Username=linkis;Password=…");
            }
            else
            {
                try
                {
                    _ = new NpgsqlConnectionStringBuilder(connectionString);
                }
                catch (ArgumentException e)
                {
                    errors.Add($"{ConnectionStringKey} is not a valid PostgreSQL connection string: {e.Message}");
                }
            }
        }

        var applySchemaText = configuration[ApplySchemaKey] ?? "true";
        if (!bool.TryParse(applySchemaText, out var applySchema))
        {
            errors.Add($"{ApplySchemaKey} is '{applySchemaText}'; it must be true or false.");
        }

        var tls = ClusterTls.Read(configuration, errors, DateTimeOffset.UtcNow);
        var allowPlaintextText = configuration[AllowPlaintextKey] ?? "false";
        if (!bool.TryParse(allowPlaintextText, out var allowPlaintext))
        {
            errors.Add($"{AllowPlaintextKey} is '{allowPlaintextText}'; it must be true or false.");
        }

        if (errors.Count > 0)
        {
            throw new SiloConfigurationException(errors);
        }

        return new SiloConfiguration(endpoints, nodeName, storage, connectionString, applySchema, tls, allowPlaintext, pod);
    }

    private static int Port(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            errors.Add($"{section.Path}:{key} is '{text}'; it must be a port number from 1 to 65535.");
            return fallback;
        }

        return port;
    }
}

/// <summary>The configuration is wrong; <see cref="Exception.Message"/> lists every problem, one per line.</summary>
public sealed class SiloConfigurationException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
