using System.Net.Http.Json;
using System.Text.Json;
using Linkis.Orleans.Testing;
using Linkis.Orleans.Testing.Postgres;

namespace Linkis.Orleans.Tests.Deploy;

/// <summary>
/// <c>dotnet publish src/Silo -c Release -o DIR</c>, as the README says, gives a directory that runs by itself: the
/// silo's own executable and runtime, the Native AOT engine host, and deploy/. (In this assembly, not the end-to-end
/// one, so that its publish runs beside the end-to-end tests rather than after them.)
/// </summary>
public sealed class PublishTests
{
    [Fact]
    public async Task The_published_directory_starts_with_its_own_executable_and_runs_an_engine()
    {
        var output = Directory.CreateTempSubdirectory("linkis-publish-").FullName;
        try
        {
            var published = await ProcessRunner.RunAsync(
                "dotnet", ["publish", Path.Combine(SiloBuild.RepoRoot, "src", "Silo"), "-c", "Release", "-o", output],
                runAs: null, workingDirectory: SiloBuild.RepoRoot, CancellationToken.None, throwOnFailure: false,
                // A fresh clone builds everything in Release, the engine host with Native AOT.
                timeout: TimeSpan.FromMinutes(8));
            Assert.True(published.ExitCode == 0, $"dotnet publish failed:\n{published.StandardOutput}\n{published.StandardError}");

            Assert.True(File.Exists(Path.Combine(output, "libcoreclr.so")), "the runtime is in the directory: it runs where no .NET is installed");
            Assert.Equal("aot", File.ReadAllText(Path.Combine(output, "engineconn", "host-kind.txt")).Trim());
            Assert.Equal(
                Directory.GetFiles(Path.Combine(SiloBuild.RepoRoot, "deploy", "sql")).Select(Path.GetFileName).Order(),
                Directory.GetFiles(Path.Combine(output, "deploy", "sql")).Select(Path.GetFileName).Order());
            Assert.True(File.Exists(Path.Combine(output, "deploy", "systemd", "linkis-silo.service")));

            await using var silo = await SiloProcess.StartAsync(
                SiloLayout.Create("published"), new SiloProcessOptions { Executable = Path.Combine(output, "Linkis.Orleans.Silo") });
            using var asked = await silo.Http.PostAsJsonAsync("/api/v1/engines", new { labels = new { userCreator = "published-IDE", engineType = "shell-1" } });
            var engineId = JsonDocument.Parse(await asked.Content.ReadAsStringAsync()).RootElement.GetProperty("engineId").GetString();
            using var executed = await silo.Http.PostAsJsonAsync($"/api/v1/engines/{engineId}/execute", new { code = "echo from-the-published-silo" });
            var result = JsonDocument.Parse(await executed.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("from-the-published-silo\n", result.GetProperty("stdout").GetString());
            (await silo.Http.DeleteAsync($"/api/v1/engines/{engineId}")).EnsureSuccessStatusCode();
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
