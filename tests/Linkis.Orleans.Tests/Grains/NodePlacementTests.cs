using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Nodes.Reports;
using Linkis.Orleans.Testing;
using Linkis.Orleans.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.TestingHost;

namespace Linkis.Orleans.Tests.Grains;

/// <summary>Two named silos: a node manager lives on the silo of its name, and nowhere else.</summary>
public sealed class NodePlacementTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Linkis);
            silo.UseInMemoryReminderService();
            silo.AddLinkis();
            silo.Services.Replace(ServiceDescriptor.Singleton<IEngineHostLauncher, FakeEngineHostLauncher>());
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_node_manager_is_activated_on_the_silo_of_its_name_whichever_silo_calls()
    {
        var silos = _cluster.Silos.ToList();
        Assert.Equal(2, silos.Count);
        var names = silos.Select(s => s.Name).ToList();
        Assert.Equal(2, names.Distinct().Count());

        foreach (var target in silos)
        {
            foreach (var caller in silos)
            {
                var grains = caller.ServiceProvider.GetRequiredService<IGrainFactory>();
                var node = grains.GetGrain<INodeManagerGrain>(target.Name);
                Assert.Equal(target.Name, await node.GetSiloName());
                var report = await node.GetReport();
                Assert.Equal(target.SiloAddress.ToString(), report.Silo);
            }

            Assert.Equal(target.Name, await _cluster.Client.GetGrain<INodeManagerGrain>(target.Name).GetSiloName());
        }
    }

    [Fact]
    public async Task A_node_ledger_lives_on_its_node_s_silo()
    {
        foreach (var target in _cluster.Silos)
        {
            var key = LedgerKeys.ForNode(target.Name);
            var other = _cluster.Silos.First(s => s.Name != target.Name);
            await other.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IResourceLedgerGrain>(key).GetSnapshot();

            var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
            var ledger = Assert.Single(statistics, s => s.GrainType.Contains(nameof(ResourceLedgerGrain)) && s.GrainId.Key.ToString() == key);
            Assert.Equal(target.SiloAddress, ledger.SiloAddress);
        }
    }

    [Fact]
    public async Task Every_silo_lists_every_node_from_its_own_copy_of_the_directory()
    {
        var names = _cluster.Silos.Select(s => s.Name).Order().ToList();
        foreach (var silo in _cluster.Silos)
        {
            // Read where it lives, without a grain call: what this silo's asks are placed from.
            var board = silo.ServiceProvider.GetRequiredService<NodeReportBoard>();
            await Eventually.Until(() => board.List().Select(n => n.Name).Order().SequenceEqual(names),
                $"silo {silo.Name}'s copy of the directory to hold every node's report", lastSeen: () => string.Join(", ", board.List().Select(n => n.Name)));
            var listed = await silo.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<INodeDirectoryGrain>(0).List();
            Assert.Equal(names, listed.Select(n => n.Name).Order());
        }
    }

    [Fact]
    public async Task A_node_manager_of_an_absent_node_fails_clearly_and_is_not_activated_elsewhere()
    {
        var node = _cluster.Client.GetGrain<INodeManagerGrain>("no-such-node");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => node.GetSiloName());

        Assert.Contains("no active silo is named 'no-such-node'", error.ToString());
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetSimpleGrainStatistics();
        Assert.DoesNotContain(stats, s => s.GrainType.Contains(nameof(NodeManagerGrain)) && s.ActivationCount > 2);
        // A silo hears of a node that joined after it within a report interval; its directory asks for the rest itself.
        var names = _cluster.Silos.Select(s => s.Name).Order().ToList();
        await Eventually.Until(() => _cluster.Client.GetGrain<INodeDirectoryGrain>(0).List(), nodes => nodes.Select(n => n.Name).Order().SequenceEqual(names),
            "the directory to list every silo's node and no other");
    }
}
