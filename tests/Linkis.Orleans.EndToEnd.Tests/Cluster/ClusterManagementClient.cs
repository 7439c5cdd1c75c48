using System.Net;
using Linkis.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// An Orleans client of a test cluster (through <c>AddLinkisClient</c>, as a web app connects) that asks Orleans'
/// management grain what the silos know: the membership table, and where grains are activated. It connects to the
/// gateways it is given only, so a test can keep it away from a node it is about to cut off.
/// </summary>
public sealed class ClusterManagementClient : IAsyncDisposable
{
    /// <summary>How Orleans' silo control names the node manager's class in its statistics.</summary>
    private const string NodeManagerGrainClass = "Linkis.Orleans.Grains.Nodes.NodeManagerGrain";

    private readonly IHost _host;

    private ClusterManagementClient(IHost host)
    {
        _host = host;
        Management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
    }

    public IManagementGrain Management { get; }

    public static async Task<ClusterManagementClient> ConnectAsync(string clusterId, params IPEndPoint[] gateways)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.AddLinkisClient(client => client
            .UseStaticClustering(gateways)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            }));
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ClusterManagementClient(host);
    }

    /// <summary>
    /// Each node's newest membership entry (its latest silo generation), as the gateway's silo reads the membership table.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, MembershipEntry>> NewestEntriesAsync()
    {
        var entries = await Management.GetDetailedHosts(onlyActive: false);
        return entries.GroupBy(e => e.SiloName).ToDictionary(g => g.Key, g => g.MaxBy(e => e.SiloAddress.Generation)!);
    }

    /// <summary>The membership status of the node's newest silo, or null when the table has no entry of that name.</summary>
    public async Task<SiloStatus?> StatusOfAsync(string node) =>
        (await NewestEntriesAsync()).TryGetValue(node, out var entry) ? entry.Status : null;

    /// <summary>Every activation of the node's manager grain on every active silo.</summary>
    public async Task<IReadOnlyList<DetailedGrainStatistic>> NodeManagerActivationsAsync(string node)
    {
        var all = await Management.GetDetailedGrainStatistics();
        return [.. all.Where(s => s.GrainType.StartsWith(NodeManagerGrainClass + ",", StringComparison.Ordinal) && s.GrainId.Key.ToString() == node)];
    }

    /// <summary>Every activation of the engine's grain on every active silo.</summary>
    public async Task<IReadOnlyList<DetailedGrainStatistic>> EngineActivationsAsync(string engineId)
    {
        var all = await Management.GetDetailedGrainStatistics();
        return [.. all.Where(s => s.GrainType.StartsWith("Linkis.Orleans.Grains.Engines.EngineConnGrain,", StringComparison.Ordinal) && s.GrainId.Key.ToString() == engineId)];
    }

    /// <summary>The membership table in one line: each node's newest silo and its status.</summary>
    public static string Describe(IReadOnlyDictionary<string, MembershipEntry> entries) =>
        string.Join("; ", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value.SiloAddress} {e.Value.Status}"));

    /// <summary>
    /// Every activation of a Linkis grain on every active silo, one a line, through a client of its own: what to print
    /// when a test fails. Never throws; a failure to ask is the answer.
    /// </summary>
    public static async Task<string> DescribeActivationsAsync(string clusterId, params IPEndPoint[] gateways)
    {
        try
        {
            await using var client = await ConnectAsync(clusterId, gateways);
            var activations = await client.Management.GetDetailedGrainStatistics();
            return "Linkis grain activations:\n" + string.Join("\n", activations
                .Where(a => a.GrainType.StartsWith("Linkis.", StringComparison.Ordinal))
                .OrderBy(a => a.GrainType, StringComparer.Ordinal)
                .Select(a => $"  {a.GrainType.Split(',')[0]} {a.GrainId} on {a.SiloAddress}"));
        }
        catch (Exception e)
        {
            return $"Could not list the grain activations: {e.GetType().Name}: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or OrleansException)
        {
        }

        _host.Dispose();
    }
}
