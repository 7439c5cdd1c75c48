using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Linkis.Orleans.Client;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Testing.Cluster;
using Linkis.Orleans.Testing.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Linkis.Orleans.Benchmarks;

/// <summary>
/// multi-node (issue 12): production silos on this machine against one throwaway PostgreSQL. First one node alone (its
/// own database and cluster id), then a cluster of three (node-a, node-b, node-c), never both at once. Creates: the same
/// create → kill loop through the entry node's HTTP API on each, so the one node is the floor of the cluster. Reuse: idle
/// engines on node-b, asked for through node-b (same node; floor a no-op grain call through it) and through node-a and
/// node-c (other node; floor the same-node figure).
/// </summary>
public static class MultiNodeScenario
{
    private const string Scenario = "multi-node";
    private const string OneNode = "node-1";
    private const string Entry = "node-a";
    private const string EngineNode = "node-b";
    private const string CreatePrefix = "bench-mnc";
    private const string ReusePrefix = "bench-mnr";
    private static readonly string[] ClusterNodes = ["node-a", "node-b", "node-c"];

    // Both setups warm under create-throughput's rule, with a longer cap: on this 2-core machine one production silo's
    // JIT settles after ≈ 35–50 s of the loop, three silos' after ≈ 60–120 s, in waves; a window measured before that
    // counts the cluster's tier-up (up to 1.3 s of JIT in 8 s) against it.
    private static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(180);

    // After the create window: what the setup's silos spend doing nothing, which a cluster pays three times.
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(2);

    // The test cluster's fast liveness settings (ProductionSiloArgs) serve the tests' deadlines; a benchmark measures
    // the product's defaults. Later values of a key win.
    private static readonly string[] SiloArgs =
    [
        .. BenchSilo.RoomyArgs,
        $"--Linkis:Node:PingInterval={new NodeOptions().PingInterval:c}",
        $"--Linkis:Node:MissedPingsBeforeDead={new NodeOptions().MissedPingsBeforeDead}",
        $"--Linkis:Node:KillGrace={new NodeOptions().KillGrace:c}",
        $"--Linkis:Engines:CheckInterval={new EngineOptions().CheckInterval:c}",
        $"--Linkis:Engines:HeartbeatTimeout={new EngineOptions().HeartbeatTimeout:c}",
    ];

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var createSeconds = options.SecondsOr(8);
        var reuseSeconds = options.SecondsOr(4);
        await using var postgres = await PostgresServer.StartAsync();

        CreateRun one;
        await using (var single = await StartAsync(postgres, "bench-one", [OneNode]))
        {
            Log.Info($"one node: {options.Workers} create → kill loops through {OneNode}");
            one = await MeasureCreatesAsync(single, OneNode, options, createSeconds);
        }

        await using var cluster = await StartAsync(postgres, "bench-three", ClusterNodes);
        Log.Info($"three nodes: {options.Workers} create → kill loops through {Entry}");
        var three = await MeasureCreatesAsync(cluster, Entry, options, createSeconds);
        var vsOne = ReuseAskScenario.Ratio(three.Samples.PerSecond, one.Samples.PerSecond);
        report.Write(Result.From(Scenario, $"create-via-{Entry}", three.Samples, three.CpuMs, one.Samples.ToFloor("one-node-create"))
            .With("nodes", cluster.NodeNames.Count).With("workers", options.Workers).With("errors", three.Samples.Errors)
            .With("perNode", three.PerNode).With("vsOneNodePerSecond", vsOne).With("withinGoal", vsOne >= 1)
            .With("siloCpuMsPerCreate", PerCreate(three)).With("oneNodeSiloCpuMsPerCreate", PerCreate(one))
            .With("siloCpuMsPerNode", three.CpuMsPerNode).With("oneNodeSiloCpuMs", one.CpuMs)
            .With("idleSiloCpuMsPerSecond", three.IdleCpuMsPerSecond).With("oneNodeIdleSiloCpuMsPerSecond", one.IdleCpuMsPerSecond)
            .With("warmupSeconds", Math.Round(three.Warmup.TotalSeconds, 1)).With("siloJitMs", three.JitMs)
            .With("oneNodeWarmupSeconds", Math.Round(one.Warmup.TotalSeconds, 1)).With("oneNodeSiloJitMs", one.JitMs)
            .With("oneNodeErrors", one.Samples.Errors).With("workRootFs", Paths.FileSystemOf(cluster[Entry].WorkRoot))
            .With("note", $"production silos, one PostgreSQL; one node measured first, then the cluster, each alone on the machine; asks and DELETEs through {Entry}; " +
                "perSecond = creates completed per second; latencies = the ask alone; floor = the same loop on one node; perNode = where the measured creates landed; " +
                "siloCpuMs = all the setup's silos, PostgreSQL not counted; siloJitMs = their JIT time inside the window; idleSiloCpuMsPerSecond = the silos' CPU over 2 s of no load right after"));

        await MeasureReuseAsync(cluster, options, reuseSeconds, report);
    }

    private static async Task<NodeCluster> StartAsync(PostgresServer postgres, string clusterId, IReadOnlyList<string> nodes)
    {
        var connectionString = await postgres.CreateDatabaseAsync(clusterId.Replace('-', '_'));
        return await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = connectionString,
            ClusterId = clusterId,
            Nodes = nodes,
            ArgsForAll = SiloArgs,
            TempParent = Paths.TempRoot,
            // A Release silo starting next to a build or a previous scenario's leftovers can take a while.
            FormDeadline = TimeSpan.FromSeconds(90),
            Log = Log.Info,
        });
    }

    private sealed record CreateRun(
        Samples Samples, double CpuMs, IReadOnlyDictionary<string, double> CpuMsPerNode, double? JitMs, TimeSpan Warmup,
        IReadOnlyDictionary<string, double> PerNode, double IdleCpuMsPerSecond);

    /// <summary>
    /// <see cref="BenchOptions.Workers"/> loops of ask(reuse:false) → DELETE through <paramref name="entry"/>, one
    /// user-creator each, warmed until the JIT of every silo of <paramref name="cluster"/> settles, then measured.
    /// </summary>
    private static async Task<CreateRun> MeasureCreatesAsync(NodeCluster cluster, string entry, BenchOptions options, TimeSpan seconds)
    {
        var http = cluster[entry].Http;
        var silos = cluster.Nodes.Select(n => n.Silo).ToList();
        ConcurrentDictionary<string, int>? landed = null;

        async Task<double?> CreateThenKill(int worker)
        {
            // One user-creator per worker, so no worker's create waits on another's (MaxConcurrentCreatesPerKey).
            var t0 = Stopwatch.GetTimestamp();
            var created = await CreateScenarios.CreateAsync(http, $"{CreatePrefix}{worker}");
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (!created.Ok)
            {
                Log.Info($"create failed: {created.Error}");
                return null;
            }

            landed?.AddOrUpdate(created.Node ?? "(none)", 1, (_, n) => n + 1);
            await ReuseAskScenario.KillAsync(http, created.EngineId!); // in the loop, so no node fills
            return ms;
        }

        var warmup = await CreateScenarios.WarmUntilJitSettlesAsync(silos, options.Workers, options.WarmupTime, MaxWarmup, CreateThenKill);
        landed = new ConcurrentDictionary<string, int>(cluster.NodeNames.Select(n => KeyValuePair.Create(n, 0)), StringComparer.Ordinal);
        var cpu0 = silos.ToDictionary(s => s.NodeName, s => s.CpuMs());
        var jit0 = await silos.JitSecondsAsync();
        var samples = await LoadLoop.RunTimedAsync(options.Workers, TimeSpan.Zero, seconds, CreateThenKill);
        var cpu = silos.ToDictionary(s => s.NodeName, s => s.CpuMs() - cpu0[s.NodeName]);
        var jitMs = await silos.JitSecondsAsync() - jit0 is { } jit ? Math.Round(jit * 1000) : (double?)null;
        var idle0 = silos.CpuMs();
        var t0 = Stopwatch.GetTimestamp();
        await Task.Delay(IdleWindow);
        var idle = (silos.CpuMs() - idle0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        return new CreateRun(samples, cpu.Values.Sum(), cpu, jitMs, warmup, landed.ToDictionary(e => e.Key, e => (double)e.Value), idle);
    }

    /// <summary>
    /// Idle engines on <see cref="EngineNode"/>, asked for there, then the reuse-ask loop through each node: the other
    /// nodes before and after the engines' own, so a drift of this machine's speed during the phases tilts neither side.
    /// </summary>
    private static async Task MeasureReuseAsync(NodeCluster cluster, BenchOptions options, TimeSpan seconds, Report report)
    {
        var engineNodeHttp = cluster[EngineNode].Http;
        var userCreators = Enumerable.Range(0, options.Engines).Select(i => $"{ReusePrefix}{i}").ToArray();
        var engineIds = new List<string>();
        try
        {
            foreach (var uc in userCreators)
            {
                var created = await CreateScenarios.CreateAsync(engineNodeHttp, uc, EngineNode);
                if (!created.Ok || created.Node != EngineNode)
                {
                    throw new InvalidOperationException($"the first ask for {uc} on {EngineNode} failed or landed elsewhere: {created}");
                }

                engineIds.Add(created.EngineId!);
            }

            var grains = await GrainLocationsAsync(cluster, engineIds);
            Log.Info($"{engineIds.Count} idle engines on {EngineNode}; their grains: {Describe(grains)}; {options.Concurrency} askers, {seconds.TotalSeconds} s per phase");
            var bodies = userCreators.Select(ReuseAskScenario.HttpAskBody).ToArray();
            var counter = 0;

            async Task<bool> ReuseAsk(HttpClient http) =>
                await ReuseAskScenario.HttpAskAsync(http, bodies[(int)((uint)Interlocked.Increment(ref counter) % (uint)bodies.Length)]);

            // Every node's HTTP ask path warm before any is measured: node-b and node-c have served no asks yet.
            var prewarm = TimeSpan.FromSeconds(Math.Max(2, options.Warmup));
            foreach (var node in cluster.NodeNames)
            {
                await LoadLoop.RunAsync(options.Concurrency, TimeSpan.Zero, prewarm, _ => ReuseAsk(cluster[node].Http));
            }

            var silos = cluster.Nodes.Select(n => n.Silo).ToList();
            async Task<(Samples Samples, double CpuMs, double? JitMs)> Measure(Func<Task<bool>> operation)
            {
                await LoadLoop.RunAsync(options.Concurrency, TimeSpan.Zero, options.WarmupTime, _ => operation());
                var cpu0 = silos.CpuMs();
                var jit0 = await silos.JitSecondsAsync();
                var samples = await LoadLoop.RunAsync(options.Concurrency, TimeSpan.Zero, seconds, _ => operation());
                var cpu = silos.CpuMs() - cpu0;
                return (samples, cpu, await silos.JitSecondsAsync() - jit0 is { } jit ? Math.Round(jit * 1000) : null);
            }

            var others = cluster.NodeNames.Where(n => n != EngineNode).ToList();
            var viaOther = new Dictionary<string, (Samples Samples, double CpuMs, double? JitMs)>(StringComparer.Ordinal);
            viaOther[others[0]] = await Measure(() => ReuseAsk(cluster[others[0]].Http));
            var same = await Measure(() => ReuseAsk(engineNodeHttp));
            foreach (var node in others.Skip(1))
            {
                viaOther[node] = await Measure(() => ReuseAsk(cluster[node].Http));
            }

            var ping = await Measure(async () =>
            {
                using var response = await engineNodeHttp.GetAsync("/api/v1/diagnostics/ping");
                return response.StatusCode == HttpStatusCode.NoContent;
            });

            Result Line(string via, (Samples Samples, double CpuMs, double? JitMs) run, Floor floor) =>
                Result.From(Scenario, $"reuse-via-{via}", run.Samples, run.CpuMs, floor)
                    .With("via", via).With("engineNode", EngineNode).With("sameNode", via == EngineNode)
                    .With("engines", engineIds.Count).With("concurrency", options.Concurrency).With("errors", run.Samples.Errors)
                    .With("siloJitMs", run.JitMs);

            const string Note = "asks with reuse that find an idle engine (not reused = error); siloCpuMs = all three silos";
            report.Write(Line(EngineNode, same, ping.Samples.ToFloor("noop-grain-call"))
                .With("vsFloorP50", ReuseAskScenario.Ratio(same.Samples.Percentile(50), ping.Samples.Percentile(50)))
                .With("poolGrainsOn", grains.Pools).With("engineGrainsOn", grains.Engines)
                .With("note", Note + "; floor = GET /api/v1/diagnostics/ping through the same node"));
            foreach (var node in others)
            {
                var run = viaOther[node];
                var p50 = ReuseAskScenario.Ratio(run.Samples.Percentile(50), same.Samples.Percentile(50));
                report.Write(Line(node, run, same.Samples.ToFloor($"reuse-via-{EngineNode}"))
                    .With("vsSameNodeP50", p50)
                    .With("vsSameNodeP99", ReuseAskScenario.Ratio(run.Samples.Percentile(99), same.Samples.Percentile(99)))
                    .With("vsSameNodePerSecond", ReuseAskScenario.Ratio(run.Samples.PerSecond, same.Samples.PerSecond))
                    .With("withinGoal", p50 <= 2)
                    .With("note", Note + $"; floor = the same loop through {EngineNode}, the engines' node, measured between the other two; withinGoal = p50 ≤ 2× the floor's"));
            }
        }
        finally
        {
            foreach (var id in engineIds)
            {
                await ReuseAskScenario.KillAsync(engineNodeHttp, id);
            }
        }
    }

    private sealed record GrainLocations(IReadOnlyDictionary<string, double> Pools, IReadOnlyDictionary<string, double> Engines);

    /// <summary>
    /// Which node's silo holds each pool grain of the reuse user-creators and each engine's grain (Orleans places them by
    /// load, not by the engine's node), asked of Orleans' management grain through a client of the engines' node.
    /// </summary>
    private static async Task<GrainLocations> GrainLocationsAsync(NodeCluster cluster, IReadOnlyCollection<string> engineIds)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Production" });
        ReuseAskScenario.QuietLogging(builder.Logging);
        builder.AddLinkisClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, cluster[EngineNode].GatewayPort))
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ClusterId;
            }));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var statistics = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
            var nodeOfPort = cluster.Nodes.ToDictionary(n => n.Layout.SiloPort, n => n.Name);
            IReadOnlyDictionary<string, double> Count(Type grainClass, Func<string, bool> ours) => statistics
                .Where(s => s.GrainType.StartsWith(grainClass.FullName + ",", StringComparison.Ordinal) && ours(s.GrainId.Key.ToString()!))
                .GroupBy(s => nodeOfPort.GetValueOrDefault(s.SiloAddress.Endpoint.Port, s.SiloAddress.ToString()))
                .ToDictionary(g => g.Key, g => (double)g.Count());
            return new GrainLocations(
                Count(typeof(EnginePoolGrain), key => key.Contains(ReusePrefix, StringComparison.Ordinal)),
                Count(typeof(EngineConnGrain), engineIds.Contains));
        }
        finally
        {
            await host.StopAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static string Describe(GrainLocations grains) =>
        $"pools on {string.Join(", ", grains.Pools.Select(p => $"{p.Key}×{p.Value}"))}, engines on {string.Join(", ", grains.Engines.Select(p => $"{p.Key}×{p.Value}"))}";

    private static double? PerCreate(CreateRun run) => run.Samples.Count > 0 ? run.CpuMs / run.Samples.Count : null;
}
