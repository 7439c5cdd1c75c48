using System.Diagnostics;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>A production silo whose PostgreSQL cannot be reached stops at once with a configuration error, not a stack trace.</summary>
public sealed class BadConnectionStringTests
{
    [Fact]
    public async Task Unreachable_postgres_stops_the_silo_with_exit_code_2_and_a_configuration_error()
    {
        var closedPort = FreePorts.Pick(); // free = nothing listens there
        var startInfo = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])
                 [
                     SiloBuild.Dll,
                     $"--urls=http://127.0.0.1:{FreePorts.Pick()}",
                     $"--Orleans:SiloPort={FreePorts.Pick()}",
                     $"--Orleans:GatewayPort={FreePorts.Pick()}",
                     "--Orleans:AdvertisedIPAddress=127.0.0.1",
                     "--Linkis:Node:Name=prod-badconn",
                     "--Linkis:Storage=PostgreSql",
                     $"--ConnectionStrings:linkis=Host=127.0.0.1;Port={closedPort};Username=x;Database=y;Timeout=2",
                 ])
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        using var silo = Process.Start(startInfo)!;
        var stderr = silo.StandardError.ReadToEndAsync();
        var stdout = silo.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await silo.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            silo.Kill(entireProcessTree: true);
            Assert.Fail($"The silo did not exit within 30 s with an unreachable PostgreSQL.");
        }

        var errors = await stderr;
        var all = errors + await stdout;
        Assert.True(silo.ExitCode == 2, $"Expected exit code 2, got {silo.ExitCode}. Output:\n{all}");
        Assert.Contains("linkis: configuration error: ConnectionStrings:linkis:", errors);
        Assert.DoesNotContain("   at ", all);
    }
}
