namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>Two silos starting at once on one fresh database both apply the schema (taking turns) and form one cluster.</summary>
public sealed class SharedDatabaseTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Two_silos_starting_at_once_on_a_fresh_database_form_one_cluster()
    {
        var connectionString = await postgres.NewDatabaseAsync("pair");
        var args = ProductionSilo.Args(connectionString, "prod-pair", "--Linkis:Storage:ApplySchema=true");
        // Launched together, so both race for the schema; then each must become ready.
        var a = SiloProcess.Launch(SiloLayout.Create("prod-pair-a"), args);
        await using var _a = a;
        var b = SiloProcess.Launch(SiloLayout.Create("prod-pair-b"), args);
        await using var _b = b;
        await Task.WhenAll(a.WaitReadyAsync(), b.WaitReadyAsync());

        foreach (var silo in new[] { a, b })
        {
            Assert.DoesNotContain("configuration error", silo.Output);
            Assert.DoesNotContain("Schema script", silo.Output);
        }

        await ClusterNodes.WaitEachListsAllAsync(a, b);
    }
}
