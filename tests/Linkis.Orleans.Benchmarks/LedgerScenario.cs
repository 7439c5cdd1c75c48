using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// ledger: lock → confirm → release cycles on one resource ledger grain, one caller, sequential, with distinct tickets;
/// in-memory grain storage and PostgreSQL (a throwaway server, schema from deploy/sql). Floor: the same number of
/// grain calls that each write an empty state (3 per cycle) on the same storage.
/// </summary>
public static class LedgerScenario
{
    // A user-creator's ledger, as asks book them: its quota of all types and of shell-1 are checked on each lock.
    private const string LedgerKey = "userCreator=bench-ledger";
    private static readonly ResourceVector Resource = ResourceVector.FromCores(64L << 20, 0.1m, 1);

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var seconds = options.SecondsOr(4);
        await using (var memory = await StartSiloAsync(null))
        {
            await MeasureAsync("memory", memory.Host, seconds, options, report);
        }

        await using var postgres = await PostgresServer.StartAsync();
        await ApplySchemaAsync(postgres.ConnectionString);
        await using var pg = await StartSiloAsync(postgres.ConnectionString);
        await MeasureAsync("postgresql", pg.Host, seconds, options, report);
    }

    // The ledger's cycles and the floor's alternate in this many blocks, so a drift of the machine's speed or of
    // PostgreSQL's (its tables and caches change as the run writes) tilts neither side.
    private const int Blocks = 4;

    private static async Task MeasureAsync(string transport, IHost host, TimeSpan seconds, BenchOptions options, Report report)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var ledger = grains.GetGrain<IResourceLedgerBooking>(LedgerKey);
        var writer = grains.GetGrain<IEmptyStateWriterGrain>("bench");
        await writer.Write();
        var ttl = TimeSpan.FromMinutes(2);
        long n = 0;
        var cpu = 0.0;
        var ledgerBlocks = new List<Samples>();
        var floorBlocks = new List<Samples>();
        for (var block = 0; block < Blocks; block++)
        {
            var cpu0 = 0.0;
            var cycles = await LoadLoop.RunAsync(1, block == 0 ? options.WarmupTime : TimeSpan.Zero, seconds / Blocks, async _ =>
            {
                var ticket = $"t{Interlocked.Increment(ref n)}";
                var locked = await ledger.TryLock(ticket, Resource, ttl, "shell-1");
                if (!locked.Granted)
                {
                    return false;
                }

                var confirmed = await ledger.Confirm(ticket);
                await ledger.Release(ticket);
                return confirmed;
            }, () => cpu0 = ProcInfo.SelfCpuMs());
            cpu += ProcInfo.SelfCpuMs() - cpu0;
            ledgerBlocks.Add(cycles);

            // Floor: as many cycles of 3 empty-state writes, each its own grain call, as the ledger managed.
            floorBlocks.Add(await LoadLoop.SequentialAsync(Math.Max(cycles.Count, 1), async _ =>
            {
                await writer.Write();
                await writer.Write();
                await writer.Write();
                return true;
            }));
        }

        var samples = Merge(ledgerBlocks);
        var floor = Merge(floorBlocks);
        report.Write(Result.From("ledger", transport, samples, cpu, floor.ToFloor("3-empty-state-writes"))
            .With("errors", samples.Errors)
            .With("vsFloorP50", samples.Percentile(50) is { } a && floor.Percentile(50) is { } b && b > 0 ? a / b : null)
            .With("vsFloorPerSecond", floor.PerSecond > 0 ? samples.PerSecond / floor.PerSecond : null)
            .With("note", $"one caller, sequential; count = lock+confirm+release cycles; the ledger and its floor alternate in {Blocks} blocks; siloCpuMs = the in-process silo and its caller" +
                (transport == "postgresql" ? "; PostgreSQL's own CPU not included" : "")));
    }

    private static Samples Merge(IReadOnlyList<Samples> blocks) =>
        new([.. blocks.SelectMany(b => b.Latencies)], blocks.Sum(b => b.Seconds), blocks.Sum(b => b.Errors));

    private sealed class InProcessSilo(IHost host) : IAsyncDisposable
    {
        public IHost Host { get; } = host;

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(TimeSpan.FromSeconds(20));
            Host.Dispose();
        }
    }

    private static async Task<InProcessSilo> StartSiloAsync(string? connectionString)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Production" });
        ReuseAskScenario.QuietLogging(builder.Logging);
        var ports = FreePorts.PickDistinct(2);
        var (siloPort, gatewayPort) = (ports[0], ports[1]);
        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloOptions>(o => o.SiloName = BenchSilo.NodeName);
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            if (connectionString is null)
            {
                silo.AddMemoryGrainStorage(StorageNames.Linkis);
                silo.UseInMemoryReminderService();
            }
            else
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
            }

            silo.AddLinkis();
        });
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessSilo(host);
    }

    /// <summary>deploy/sql/*.sql in name order, as an operator would with psql -f.</summary>
    private static async Task ApplySchemaAsync(string connectionString)
    {
        var scripts = Directory.GetFiles(Path.Combine(SiloBuild.RepoRoot, "deploy", "sql"), "*.sql").Order(StringComparer.Ordinal).ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var script in scripts)
        {
            await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(script), connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Benchmark-only: a grain whose one call writes its (empty) state — the floor under a ledger operation.</summary>
[Alias("Linkis.Benchmarks.IEmptyStateWriterGrain")]
public interface IEmptyStateWriterGrain : IGrainWithStringKey
{
    [Alias("Write")]
    Task Write();
}

[GenerateSerializer, Alias("Linkis.Benchmarks.EmptyState")]
public sealed record EmptyState;

public sealed class EmptyStateWriterGrain(
    [PersistentState("empty", StorageNames.Linkis)] IPersistentState<EmptyState> state) : Grain, IEmptyStateWriterGrain
{
    public Task Write() => state.WriteStateAsync();
}
