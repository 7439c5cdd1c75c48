using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Three production silos — node-a, node-b, node-c — on this machine's loopback and one database of the shared
/// PostgreSQL server, started once for a test class whose tests leave the nodes as they found them (no kills, no cuts).
/// </summary>
public sealed class ThreeNodeClusterFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private NodeCluster? _cluster;

    public NodeCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await _postgres.NewDatabaseAsync("cluster3"),
            ClusterId = "cluster3",
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
