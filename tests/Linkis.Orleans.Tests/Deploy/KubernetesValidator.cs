using System.ComponentModel;
using System.Security.Cryptography;
using Linkis.Orleans.Testing.Postgres;

namespace Linkis.Orleans.Tests.Deploy;

/// <summary>
/// The npm project <c>deploy/kubernetes/validate</c> installed with <c>npm ci</c> from its committed lockfile, once per
/// lockfile: into a directory of the temp dir named after the hash of package.json and package-lock.json, reused by
/// later runs (npm's own cache makes a new install quick too). <see cref="RunAsync"/> runs its validate.mjs.
/// </summary>
public sealed class KubernetesValidator : IAsyncLifetime
{
    public static readonly string ManifestDirectory = Path.Combine(SiloBuild.RepoRoot, "deploy", "kubernetes");

    private static readonly string ProjectDirectory = Path.Combine(ManifestDirectory, "validate");

    private string _installed = "";

    public async Task InitializeAsync()
    {
        var package = await File.ReadAllBytesAsync(Path.Combine(ProjectDirectory, "package.json"));
        var lockfile = await File.ReadAllBytesAsync(Path.Combine(ProjectDirectory, "package-lock.json"));
        var key = Convert.ToHexStringLower(SHA256.HashData([.. package, .. lockfile]))[..16];
        _installed = Path.Combine(Path.GetTempPath(), $"linkis-k8s-validate-{key}");
        if (!File.Exists(Path.Combine(_installed, "node_modules", ".package-lock.json")))
        {
            var fresh = $"{_installed}.{Guid.NewGuid():N}";
            Directory.CreateDirectory(fresh);
            File.Copy(Path.Combine(ProjectDirectory, "package.json"), Path.Combine(fresh, "package.json"));
            File.Copy(Path.Combine(ProjectDirectory, "package-lock.json"), Path.Combine(fresh, "package-lock.json"));
            var ci = await Run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], fresh, TimeSpan.FromMinutes(5));
            if (ci.ExitCode != 0)
            {
                Directory.Delete(fresh, recursive: true);
                throw new InvalidOperationException($"npm ci in a copy of {ProjectDirectory} failed (exit {ci.ExitCode}):\n{ci.StandardOutput}\n{ci.StandardError}");
            }

            try
            {
                // Another run may have installed the same lockfile meanwhile; either copy will do.
                Directory.Move(fresh, _installed);
            }
            catch (IOException)
            {
                Directory.Delete(fresh, recursive: true);
            }
        }

        // The script is copied every time: it is not part of the install, and may have changed.
        File.Copy(Path.Combine(ProjectDirectory, "validate.mjs"), Path.Combine(_installed, "validate.mjs"), overwrite: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Runs <c>node validate.mjs DIR</c>.</summary>
    public Task<ProcessResult> RunAsync(string manifestDirectory) =>
        Run("node", [Path.Combine(_installed, "validate.mjs"), manifestDirectory], _installed, TimeSpan.FromMinutes(2));

    private static async Task<ProcessResult> Run(string tool, string[] arguments, string directory, TimeSpan timeout)
    {
        try
        {
            return await ProcessRunner.RunAsync(tool, arguments, runAs: null, directory, CancellationToken.None, throwOnFailure: false, timeout: timeout);
        }
        catch (InvalidOperationException e) when (e.InnerException is Win32Exception)
        {
            throw new InvalidOperationException($"{tool} is not installed: the Kubernetes manifests are validated with Node.js and npm (Debian: apt-get install nodejs npm).", e);
        }
    }
}
