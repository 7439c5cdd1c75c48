using System.Net;
using System.Text.RegularExpressions;
using Linkis.Orleans.Grains.Options;

namespace Linkis.Orleans.Silo.Hosting;

/// <summary>
/// The pod this silo runs in, when <c>Linkis:Cluster:Kubernetes</c> switches on Orleans' Kubernetes hosting
/// (<c>Microsoft.Orleans.Hosting.Kubernetes</c>). That package names the silo after <c>POD_NAME</c>, reads
/// <c>ORLEANS_CLUSTER_ID</c> / <c>ORLEANS_SERVICE_ID</c> over the cluster options, labels its own pod with both, and
/// watches the pods carrying the same labels, declaring a silo dead as soon as its pod is deleted. Each of those must
/// agree with what the rest of the silo uses — the node name above all, since node managers are keyed by silo name —
/// so every disagreement, and a pod that is not one, is a configuration error at start rather than a silo that runs
/// under two names or retries the Kubernetes API for ever.
/// </summary>
public sealed partial record KubernetesPod(string Name, string Namespace, IPAddress? Ip)
{
    public const string SwitchKey = "Linkis:Cluster:Kubernetes";

    // The variables Orleans' Kubernetes hosting reads (KubernetesHostingOptions), and the ones the kubelet sets in
    // every pod, which its in-cluster client needs.
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string PodIpVariable = "POD_IP";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// Null when the switch is off; else the pod, after checking it against <paramref name="endpoints"/> (whose cluster
    /// and service ids it may fill in from the Orleans variables) and the configured node name. Problems go to
    /// <paramref name="errors"/>, each naming its key or variable.
    /// </summary>
    internal static KubernetesPod? Read(IConfiguration configuration, SiloEndpointOptions endpoints, StorageMode storage, List<string> errors)
    {
        var switchText = configuration[SwitchKey] ?? "false";
        if (!bool.TryParse(switchText, out var on))
        {
            errors.Add($"{SwitchKey} is '{switchText}'; it must be true or false.");
            return null;
        }

        if (!on)
        {
            return null;
        }

        var prefix = $"{SwitchKey} is true (Orleans' Kubernetes hosting), but";
        if (storage != StorageMode.PostgreSql)
        {
            errors.Add($"{prefix} {SiloConfiguration.StorageKey} is {storage}: silos in pods find each other through the membership table, so set {SiloConfiguration.StorageKey}=PostgreSql and {SiloConfiguration.ConnectionStringKey}.");
        }

        var name = Environment.GetEnvironmentVariable(PodNameVariable);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{prefix} {PodNameVariable} is not set: give the container the pod's name through the downward API (env {PodNameVariable}, valueFrom.fieldRef.fieldPath: metadata.name); it names the silo and this node.");
            name = null;
        }
        else if (configuration[$"{NodeOptions.SectionName}:Name"] is { } nodeName && !string.Equals(nodeName, name, StringComparison.Ordinal))
        {
            errors.Add($"{prefix} {NodeOptions.SectionName}:Name is '{nodeName}' and {PodNameVariable} is '{name}': Orleans names the silo after its pod, and node managers are keyed by the silo's name, so leave {NodeOptions.SectionName}:Name unset or set it to the pod's name.");
        }

        var podNamespace = Environment.GetEnvironmentVariable(PodNamespaceVariable) is { Length: > 0 } fromVariable
            ? fromVariable
            : ReadServiceAccountNamespace();
        if (string.IsNullOrWhiteSpace(podNamespace))
        {
            errors.Add($"{prefix} {PodNamespaceVariable} is not set and {ServiceAccountDirectory}/namespace does not exist: give the container its namespace through the downward API (env {PodNamespaceVariable}, fieldPath: metadata.namespace).");
        }

        IPAddress? ip = null;
        if (Environment.GetEnvironmentVariable(PodIpVariable) is { Length: > 0 } ipText)
        {
            if (!IPAddress.TryParse(ipText, out ip))
            {
                errors.Add($"{prefix} {PodIpVariable} is '{ipText}', which is not an IP address.");
            }
        }
        else if (endpoints.AdvertisedIPAddress is null)
        {
            errors.Add($"{prefix} {PodIpVariable} is not set (nor {SiloEndpointOptions.SectionName}:AdvertisedIPAddress): give the container its pod's address through the downward API (env {PodIpVariable}, fieldPath: status.podIP); other silos and clients reach this one there.");
        }

        endpoints.ClusterId = Agree(configuration, nameof(SiloEndpointOptions.ClusterId), endpoints.ClusterId, ClusterIdVariable, "orleans/clusterId", errors);
        endpoints.ServiceId = Agree(configuration, nameof(SiloEndpointOptions.ServiceId), endpoints.ServiceId, ServiceIdVariable, "orleans/serviceId", errors);

        // The in-cluster client Orleans' agent builds at start throws without these, with a stack trace.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")))
        {
            errors.Add($"{prefix} KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this is not a Kubernetes pod (the kubelet sets both in every container).");
        }
        else if (!File.Exists(Path.Combine(ServiceAccountDirectory, "token")))
        {
            errors.Add($"{prefix} {ServiceAccountDirectory}/token does not exist: the pod needs its service account's token to watch the cluster's pods (do not set automountServiceAccountToken: false).");
        }

        return name is not null && !string.IsNullOrWhiteSpace(podNamespace) ? new KubernetesPod(name, podNamespace, ip) : null;
    }

    /// <summary>
    /// The id Orleans' Kubernetes hosting would use (its variable, over the configured one) must be the one the silo
    /// configures; unset in configuration, the variable's value is taken. It is also the value of a pod label.
    /// </summary>
    private static string Agree(IConfiguration configuration, string key, string current, string variable, string label, List<string> errors)
    {
        var configured = configuration.GetSection(SiloEndpointOptions.SectionName)[key];
        var value = current;
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromVariable && !string.Equals(fromVariable, current, StringComparison.Ordinal))
        {
            if (configured is null)
            {
                value = fromVariable;
            }
            else
            {
                errors.Add($"{SiloEndpointOptions.SectionName}:{key} is '{configured}' and {variable} is '{fromVariable}': Orleans' Kubernetes hosting would use the second; set one of them, or both the same.");
            }
        }

        if (!LabelValue().IsMatch(value))
        {
            errors.Add($"{SiloEndpointOptions.SectionName}:{key} is '{value}'; with {SwitchKey} it is the value of the pod label {label}, so it must be at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit.");
        }

        return value;
    }

    private static string? ReadServiceAccountNamespace()
    {
        var path = Path.Combine(ServiceAccountDirectory, "namespace");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    [GeneratedRegex("^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
