namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>Two production silos sharing the cluster certificate form one cluster: silo-to-silo traffic is mutual TLS too.</summary>
public sealed class TlsClusterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Two_silos_with_the_cluster_certificate_form_one_cluster()
    {
        var connectionString = await postgres.NewDatabaseAsync("tlspair");
        var args = ProductionSilo.Args(connectionString, "prod-tls", ClusterCertificate.SiloArgument);
        await using var a = await SiloProcess.StartAsync(SiloLayout.Create("prod-tls-a"), args);
        await using var b = await SiloProcess.StartAsync(SiloLayout.Create("prod-tls-b"), args);

        foreach (var silo in new[] { a, b })
        {
            Assert.Contains("mutual TLS with certificate CN=linkis-test-cluster", silo.Output);
        }

        await ClusterNodes.WaitEachListsAllAsync(a, b);
    }
}
