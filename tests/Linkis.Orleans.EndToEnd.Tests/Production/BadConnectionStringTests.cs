namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>A production silo whose PostgreSQL cannot be reached stops at once with a configuration error, not a stack trace.</summary>
public sealed class BadConnectionStringTests
{
    [Fact]
    public async Task Unreachable_postgres_stops_the_silo_with_exit_code_2_and_a_configuration_error()
    {
        var closedPort = FreePorts.Pick(); // free = nothing listens there
        var silo = await SiloCommand.RunAsync(
            [
                $"--urls=http://127.0.0.1:{FreePorts.Pick()}",
                $"--Orleans:SiloPort={FreePorts.Pick()}",
                $"--Orleans:GatewayPort={FreePorts.Pick()}",
                "--Orleans:AdvertisedIPAddress=127.0.0.1",
                "--Linkis:Node:Name=prod-badconn",
                "--Linkis:Storage=PostgreSql",
                $"--ConnectionStrings:linkis=Host=127.0.0.1;Port={closedPort};Username=x;Database=y;Timeout=2",
            ],
            TimeSpan.FromSeconds(30));

        Assert.True(silo.ExitCode == 2, $"Expected exit code 2, got {silo.ExitCode}. Output:\n{silo.Output}");
        Assert.Contains("linkis: configuration error: ConnectionStrings:linkis:", silo.Stderr);
        Assert.DoesNotContain("   at ", silo.Output);
    }
}
