using Linkis.Orleans.Grains;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Testing.Postgres;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.TestingHost;

namespace Linkis.Orleans.Tests.Storage;

/// <summary>
/// One in-process silo whose grain state and reminders live in a throwaway PostgreSQL, with the schema applied from
/// deploy/sql the way an operator would with psql -f. Engines are scripted (no processes).
/// </summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public FakeEngineHostLauncher Launcher => (FakeEngineHostLauncher)SiloServices.GetRequiredService<IEngineHostLauncher>();

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        await ApplySchemaFromDeployFolder(Postgres.ConnectionString);
        var connectionString = Postgres.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage(StorageNames.Linkis, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.AddLinkis();
            silo.Services.Replace(ServiceDescriptor.Singleton<IEngineHostLauncher, FakeEngineHostLauncher>());
            // The machine's real load is read, and other test assemblies share its 2 cores; no storage test is about it.
            silo.Services.Configure<NodeOptions>(o => o.MaxLoadPerCore = 1000);
            silo.Services.Configure<EngineOptions>(o =>
            {
                o.LockExpiryReminderPeriod = TimeSpan.FromSeconds(2);
                // An end storage refused is saved, and its tickets released, at the next check.
                o.CheckInterval = TimeSpan.FromMilliseconds(200);
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    public static async Task ApplySchemaFromDeployFolder(string connectionString)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Linkis.Orleans.sln")))
        {
            dir = dir.Parent;
        }

        var scripts = Directory.GetFiles(Path.Combine(dir!.FullName, "deploy", "sql"), "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(scripts);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var script in scripts)
        {
            // Twice: the scripts must be idempotent.
            for (var round = 0; round < 2; round++)
            {
                await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(script), connection);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = "postgres cluster";
}
