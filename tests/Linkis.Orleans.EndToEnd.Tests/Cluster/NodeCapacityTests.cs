using System.Net;
using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;
using Xunit.Abstractions;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// A burst of asks over three nodes capped at ten engines each: exactly the capacity succeeds, the rest get a 503 that
/// says every node is full, no node's ledger ever books over its max, and each node runs as many hosts as it books.
/// </summary>
public sealed class NodeCapacityTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int PerNode = 10;
    private const int Asks = 90;
    // Nine user-creators of ten asks: no user's own quota (20 instances by default) is what refuses them.
    private const int Users = 9;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Ninety_concurrent_asks_over_three_nodes_of_ten_get_exactly_thirty_engines_and_sixty_clear_503s()
    {
        var cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await postgres.NewDatabaseAsync("cap3"),
            ClusterId = "cap3",
            ArgsForAll = [$"--Linkis:Node:CapacityInstances={PerNode}"],
            Log = output.WriteLine,
        });
        var api = new LinkisApi(cluster["node-a"]);
        try
        {
            using var watching = new CancellationTokenSource();
            var overbooked = new List<string>();
            var watch = WatchLedgersAsync(api, cluster.NodeNames, overbooked, watching.Token);
            var answers = await Task.WhenAll(Enumerable.Range(0, Asks).Select(i => NodeAsks.AskAsync(api, $"cap{i % Users}-IDE")));
            await watching.CancelAsync();
            var samples = await watch;

            var ok = answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => new Engine(a.Json)).ToList();
            api.Created.AddRange(ok.Select(e => e.EngineId));
            var others = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
            var perNode = cluster.NodeNames.ToDictionary(n => n, n => ok.Count(e => NodeAsks.NodeOf(e) == n));
            output.WriteLine($"{Asks} concurrent asks: {ok.Count} engines ({string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}), " +
                $"{others.Count} refused; {samples} ledger samples during the burst; a refusal: {others.FirstOrDefault()}");

            Assert.True(overbooked.Count == 0, $"No node ledger may book over its max of {PerNode} instances: {string.Join("\n", overbooked)}");
            Assert.True(ok.Count == PerNode * 3 && perNode.Values.All(n => n == PerNode),
                $"Exactly {PerNode} engines should start on each node: {string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}"))}");
            Assert.True(ok.All(e => e.Status == "Idle" && e.Pid is not null), $"Every engine handed out should be Idle with a pid: {string.Join("\n", ok.Where(e => e.Status != "Idle"))}");
            var unclear = others.Where(a => a.Status != HttpStatusCode.ServiceUnavailable || a.Json.GetProperty("detail").GetString() is not { } d
                || !cluster.NodeNames.All(n => d.Contains(n, StringComparison.Ordinal)) || !d.Contains("instances", StringComparison.Ordinal)).ToList();
            Assert.True(others.Count == Asks - PerNode * 3 && unclear.Count == 0,
                $"The other {Asks - PerNode * 3} asks should each be a 503 naming every node and its instances: {string.Join("\n", unclear.Take(5))}");

            foreach (var node in cluster.NodeNames)
            {
                var ledger = (await api.LedgerAsync($"node={node}"))!;
                var hosts = ProcessTable.All().Count(p => p.CommandLine.Contains("linkis-engineconn", StringComparison.Ordinal)
                    && p.CommandLine.Contains(cluster[node].WorkRoot + "/", StringComparison.Ordinal));
                var used = ledger.Used.GetProperty("instances").GetInt64();
                Assert.True(hosts == used && used == PerNode && ledger.Locked.GetProperty("instances").GetInt64() == 0,
                    $"{node} should run as many engine hosts as its ledger books ({PerNode}): {hosts} hosts, ledger {ledger}");
            }
        }
        catch
        {
            output.WriteLine(cluster.OutputTails());
            throw;
        }
        finally
        {
            await api.KillCreatedAsync();
            await cluster.DisposeAsync();
        }
    }

    /// <summary>Reads every node ledger until cancelled, noting each read that books (used + locked) over its max.</summary>
    private static async Task<int> WatchLedgersAsync(LinkisApi api, IReadOnlyList<string> nodes, List<string> overbooked, CancellationToken stop)
    {
        var samples = 0;
        while (!stop.IsCancellationRequested)
        {
            foreach (var node in nodes)
            {
                if (await api.LedgerAsync($"node={node}") is not { } ledger)
                {
                    continue;
                }

                samples++;
                var booked = ledger.Used.GetProperty("instances").GetInt64() + ledger.Locked.GetProperty("instances").GetInt64();
                if (booked > ledger.Json.GetProperty("max").GetProperty("instances").GetInt64())
                {
                    overbooked.Add($"{node}: {ledger}");
                }
            }

            // A sample every few tens of milliseconds: often enough to see a burst, not so often it starves the silos.
            await Task.WhenAny(Task.Delay(SampleEvery, stop));
        }

        return samples;
    }
}
