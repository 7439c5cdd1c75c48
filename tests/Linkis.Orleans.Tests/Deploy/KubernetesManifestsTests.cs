using System.Diagnostics;

namespace Linkis.Orleans.Tests.Deploy;

/// <summary>
/// The Kubernetes manifests under <c>deploy/kubernetes</c>, checked by <c>deploy/kubernetes/validate/validate.mjs</c>:
/// against the Kubernetes API's OpenAPI schemas (the kubernetes-models package), for fields their kinds do not have,
/// and for what the deployment relies on across them (node name from the pod's name, probes, ports, the budget's
/// selector, the Role, the settings). A broken copy of each kind shows the checks bite. And the switch they set,
/// <c>Linkis:Cluster:Kubernetes</c>, stops a silo that is not in a fitting pod at start, naming what is missing.
/// </summary>
public sealed class KubernetesManifestsTests(KubernetesValidator validator) : IClassFixture<KubernetesValidator>
{
    [Fact]
    public async Task The_manifests_are_valid_Kubernetes_objects_that_fit_the_silo()
    {
        var result = await validator.RunAsync(KubernetesValidator.ManifestDirectory);

        Assert.True(result.ExitCode == 0, $"validate.mjs (exit {result.ExitCode}):\n{result.StandardError}{result.StandardOutput}");
        Assert.Contains("are valid (kubernetes-models ", result.StandardOutput);
    }

    // Each defect alone, in a copy of the manifests: validate.mjs must fail, naming the document and what is wrong.
    [Theory]
    // The schema: a string where the API wants an integer.
    [InlineData("statefulset.yaml", "  replicas: 3\n", "  replicas: \"3\"\n",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): schema: /spec/replicas must be integer")]
    // Read as Kubernetes reads YAML (1.1): an unquoted yes is a boolean, not the string an env value must be.
    [InlineData("statefulset.yaml", "              value: Production\n", "              value: yes\n",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): schema: /spec/template/spec/containers/0/env/0/value must be string")]
    // The API server refuses a container without an image; the schema alone would not.
    [InlineData("statefulset.yaml", "          image: registry.example.internal/linkis/linkis-orleans-silo:REPLACE\n", "",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): container silo has no image")]
    // A misspelt field, which the schemas allow and kubectl's strict field validation does not.
    [InlineData("statefulset.yaml", "          readinessProbe:\n", "          readinesProbe:\n",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): unknown field /spec/template/spec/containers/0/readinesProbe")]
    // The node must be named after the pod.
    [InlineData("statefulset.yaml", "            - name: Linkis__Node__Name\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n",
        "            - name: Linkis__Node__Name\n              valueFrom:\n                fieldRef:\n                  fieldPath: spec.nodeName\n",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): container silo: env Linkis__Node__Name must come from the downward API, fieldRef.fieldPath metadata.name")]
    [InlineData("statefulset.yaml", "              path: /health/ready\n", "              path: /healthz\n",
        "statefulset.yaml document 1 (StatefulSet linkis-silo): container silo: readinessProbe must ask /health/ready (it asks /healthz)")]
    [InlineData("services.yaml", "      targetPort: gateway\n", "      targetPort: 30001\n",
        "services.yaml document 3 (Service linkis-gateway): port gateway: targetPort 30001 is not a port of the silo container")]
    [InlineData("poddisruptionbudget.yaml", "      app.kubernetes.io/component: silo\n", "      app.kubernetes.io/component: worker\n",
        "poddisruptionbudget.yaml document 1 (PodDisruptionBudget linkis-silo): spec.selector does not select the StatefulSet's pods")]
    [InlineData("rbac.yaml", "verbs: [\"get\", \"list\", \"watch\", \"patch\"]", "verbs: [\"get\", \"list\", \"watch\", \"patch\", \"delete\"]",
        "rbac.yaml document 2 (Role linkis-silo): grants /pods:delete, which Orleans' Kubernetes hosting does not use")]
    public async Task A_broken_copy_is_refused_naming_the_document_and_the_defect(string file, string find, string replace, string expected)
    {
        var copy = Directory.CreateTempSubdirectory("linkis-k8s-broken-").FullName;
        try
        {
            foreach (var manifest in Directory.GetFiles(KubernetesValidator.ManifestDirectory, "*.yaml"))
            {
                File.Copy(manifest, Path.Combine(copy, Path.GetFileName(manifest)));
            }

            var path = Path.Combine(copy, file);
            var text = File.ReadAllText(path);
            Assert.True(text.Contains(find, StringComparison.Ordinal), $"{file} no longer holds the text this case breaks: {find}");
            File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));

            var result = await validator.RunAsync(copy);

            Assert.True(result.ExitCode == 1, $"validate.mjs should refuse the copy (exit {result.ExitCode}):\n{result.StandardError}{result.StandardOutput}");
            Assert.Contains(expected, result.StandardError);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public async Task Switched_on_outside_a_pod_the_silo_stops_at_start_naming_what_the_pod_must_give_it()
    {
        var silo = await RunSiloAsync(
            new Dictionary<string, string>(),
            "--Linkis:Cluster:Kubernetes=true", "--Linkis:Storage=PostgreSql",
            "--ConnectionStrings:linkis=Host=127.0.0.1;Port=1;Database=linkis;Username=linkis;Password=unused");

        Assert.Equal(2, silo.ExitCode);
        const string prefix = "linkis: configuration error: Linkis:Cluster:Kubernetes is true (Orleans' Kubernetes hosting), but ";
        Assert.Contains(prefix + "POD_NAME is not set: give the container the pod's name through the downward API (env POD_NAME, valueFrom.fieldRef.fieldPath: metadata.name)", silo.Stderr);
        Assert.Contains(prefix + "POD_IP is not set (nor Orleans:AdvertisedIPAddress)", silo.Stderr);
        Assert.Contains(prefix + "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: this is not a Kubernetes pod", silo.Stderr);
        if (!File.Exists("/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
        {
            Assert.Contains(prefix + "POD_NAMESPACE is not set", silo.Stderr);
        }

        Assert.DoesNotContain("   at ", silo.Stderr);
    }

    [Fact]
    public async Task In_a_pod_whose_names_disagree_with_the_settings_the_silo_stops_at_start_naming_both()
    {
        var silo = await RunSiloAsync(
            new Dictionary<string, string>
            {
                ["POD_NAME"] = "linkis-silo-0",
                ["POD_NAMESPACE"] = "linkis",
                ["POD_IP"] = "10.1.2.3",
                ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1",
                ["KUBERNETES_SERVICE_PORT"] = "443",
                ["ORLEANS_CLUSTER_ID"] = "linkis-other",
            },
            "--Linkis:Cluster:Kubernetes=true", "--Linkis:Node:Name=worker-1", "--Orleans:ClusterId=linkis-prod");

        Assert.Equal(2, silo.ExitCode);
        const string prefix = "linkis: configuration error: Linkis:Cluster:Kubernetes is true (Orleans' Kubernetes hosting), but ";
        Assert.Contains(prefix + "Linkis:Node:Name is 'worker-1' and POD_NAME is 'linkis-silo-0': Orleans names the silo after its pod", silo.Stderr);
        Assert.Contains(prefix + "Linkis:Storage is Memory: silos in pods find each other through the membership table", silo.Stderr);
        Assert.Contains("linkis: configuration error: Orleans:ClusterId is 'linkis-prod' and ORLEANS_CLUSTER_ID is 'linkis-other': Orleans' Kubernetes hosting would use the second", silo.Stderr);
        // What the pod gave is not asked for again.
        Assert.DoesNotContain("POD_NAME is not set", silo.Stderr);
        Assert.DoesNotContain("POD_NAMESPACE is not set", silo.Stderr);
        Assert.DoesNotContain("POD_IP is not set", silo.Stderr);
        Assert.DoesNotContain("KUBERNETES_SERVICE_HOST", silo.Stderr);
        // Orleans' in-cluster client needs the service account's token; this machine is no pod.
        Assert.Equal(
            !File.Exists("/var/run/secrets/kubernetes.io/serviceaccount/token"),
            silo.Stderr.Contains(prefix + "/var/run/secrets/kubernetes.io/serviceaccount/token does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", silo.Stderr);
        // The package the switch turns on ships with the silo.
        Assert.True(File.Exists(Path.Combine(SiloBuild.OutputDirectory, "Orleans.Hosting.Kubernetes.dll")));
    }

    /// <summary>
    /// The built silo run to its end as deployed (Production), with this environment and none of the caller's pod,
    /// Orleans or Linkis variables.
    /// </summary>
    private static async Task<(int ExitCode, string Stderr)> RunSiloAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(SiloBuild.Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("POD_", StringComparison.Ordinal) || k.StartsWith("KUBERNETES_", StringComparison.Ordinal)
                     || k.StartsWith("ORLEANS_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("Linkis__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The silo did not stop at start within 60 s. Its output:\n{await stdout}{await stderr}");
        }

        await stdout;
        return (process.ExitCode, await stderr);
    }
}
