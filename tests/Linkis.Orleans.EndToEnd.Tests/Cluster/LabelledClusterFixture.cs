using Linkis.Orleans.EndToEnd.Tests.Production;
using Linkis.Orleans.Testing.Cluster;

namespace Linkis.Orleans.EndToEnd.Tests.Cluster;

/// <summary>
/// Three production silos with node labels — node-a <c>zone=a</c>, node-b <c>zone=b</c>, node-c <c>tenant=etl</c> — and
/// the user-creators <c>*-ETL</c> mapped to the tenant <c>etl</c>, for tests that leave the nodes as they found them.
/// </summary>
public sealed class LabelledClusterFixture : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    public const string TenantNode = "node-c";
    private NodeCluster? _cluster;

    public NodeCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _cluster = await NodeCluster.StartAsync(new NodeClusterOptions
        {
            ConnectionString = await _postgres.NewDatabaseAsync("labels3"),
            ClusterId = "labels3",
            ArgsForAll = ["--Linkis:Tenants:*-ETL=etl"],
            ArgsPerNode = new Dictionary<string, IReadOnlyList<string>>
            {
                ["node-a"] = ["--Linkis:Node:Labels:zone=a"],
                ["node-b"] = ["--Linkis:Node:Labels:zone=b"],
                [TenantNode] = ["--Linkis:Node:Labels:tenant=etl"],
            },
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
