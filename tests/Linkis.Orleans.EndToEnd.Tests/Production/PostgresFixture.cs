using System.Net;
using Linkis.Orleans.Testing.Cluster;
using Linkis.Orleans.Testing.Postgres;

namespace Linkis.Orleans.EndToEnd.Tests.Production;

/// <summary>
/// Databases of a throwaway PostgreSQL server for the production-mode tests. Each test takes a database of its own
/// (<see cref="NewDatabaseAsync"/>), so no test sees another's clustering table, grain state or reminders, and test
/// classes that share the server can run at the same time.
/// </summary>
public abstract class PostgresDatabases : IAsyncLifetime
{
    private static int _databases;
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("PostgreSQL has not started.");

    public async Task InitializeAsync() => _server = await StartServerAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await StopServerAsync(_server);
        }
    }

    protected abstract Task<PostgresServer> StartServerAsync();

    protected abstract Task StopServerAsync(PostgresServer server);

    /// <summary>
    /// A new, empty database (the server is started again first, should an earlier test have left it stopped); returns
    /// its connection string.
    /// </summary>
    public async Task<string> NewDatabaseAsync(string prefix)
    {
        Assert.True(prefix.Length <= 20, "Keep database prefixes short: PostgreSQL names are at most 63 bytes.");
        await Server.StartAgainAsync();
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}".ToLowerInvariant();
        return await Server.CreateDatabaseAsync(name);
    }
}

/// <summary>
/// The one server the whole run shares: started by the first class that needs it, stopped when the test process
/// exits (<see cref="PostgresServer"/>'s own exit hook). A class that stops the server takes <see cref="OwnPostgresFixture"/>.
/// </summary>
public sealed class PostgresFixture : PostgresDatabases
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(() => PostgresServer.StartAsync());

    protected override Task<PostgresServer> StartServerAsync() => Shared.Value;

    protected override Task StopServerAsync(PostgresServer server) => Task.CompletedTask;
}

/// <summary>A server of the class's own, for tests that stop and start it (an outage must not reach other classes).</summary>
public sealed class OwnPostgresFixture : PostgresDatabases
{
    protected override Task<PostgresServer> StartServerAsync() => PostgresServer.StartAsync();

    protected override Task StopServerAsync(PostgresServer server) => server.DisposeAsync().AsTask();
}

/// <summary>The command line of a production-mode silo on loopback (<see cref="ProductionSiloArgs"/>).</summary>
public static class ProductionSilo
{
    public const string RunAsSiloUser = ProductionSiloArgs.RunAsSiloUser;

    public static string[] Args(string connectionString, string clusterId, params string[] extra) =>
        ProductionSiloArgs.For(connectionString, clusterId, IPAddress.Loopback, extra);

    /// <summary>The restarted node's reconciliation, run once it has re-attached, found its ledgers right: nothing to repair.</summary>
    public static async Task AssertReconciledWithoutRepairsAsync(SiloProcess silo, int expectedEngines)
    {
        var line = $"reconciled its {expectedEngines} running engines with the ledgers";
        await Eventually.Until(() => silo.Output.Contains(line, StringComparison.Ordinal),
            "the restarted node to reconcile its ledgers", TimeSpan.FromSeconds(60), () => silo.Output[Math.Max(0, silo.Output.Length - 4000)..]);
        Assert.Contains($"{line}: 0 repairs", silo.Output);
        Assert.DoesNotContain("Reconciliation released", silo.Output);
        Assert.DoesNotContain("Reconciliation booked", silo.Output);
    }

    /// <summary>Starts a production silo on a new layout.</summary>
    public static Task<SiloProcess> StartAsync(string nodeName, string connectionString, string clusterId, params string[] extra) =>
        SiloProcess.StartAsync(SiloLayout.Create(nodeName), Args(connectionString, clusterId, extra));
}
