using Linkis.Orleans.Grains;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Linkis.Orleans.Tests.Fakes;

/// <summary>
/// One in-process silo with the Linkis grains, the scripted launcher and a fake clock driving grain timers, the
/// node's ping loop and every timeout the grains compute. Orleans' own background timers stay on real time. The
/// launcher (the "processes") and the grain state belong to the fixture, not to the silo, so they outlive a silo
/// restart the way engine hosts and a database do.
/// </summary>
public class FakeClusterFixture : IAsyncLifetime
{
    public const string NodeName = "Silo_0";
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>The account engines shared by everyone run as, and a Linux group's account (the group made by the test that needs it).</summary>
    public const string ServiceAccount = "linkis_svc";
    public const string SharedGroup = "tu_gshare";
    public const string GroupAccount = "tu_gshare_svc";

    public FakeClusterFixture() => Launcher = new FakeEngineHostLauncher(Time);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeEngineHostLauncher Launcher { get; }

    /// <summary>The grain calls the silos received, by method.</summary>
    public GrainCallCounter Calls { get; } = new();

    public SharedGrainStore Store { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IServiceProvider SiloServices => Cluster.Silos[^1].ServiceProvider;

    public EngineHostSupervisor Supervisor => SiloServices.GetRequiredService<EngineHostSupervisor>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.ConfigureSilo((_, silo) =>
        {
            var services = silo.Services;
            services.AddKeyedSingleton<IGrainStorage>(StorageNames.Linkis, (sp, _) => ActivatorUtilities.CreateInstance<SharedGrainStorage>(sp, Store));
            silo.UseInMemoryReminderService();
            silo.AddLinkis();
            services.AddSingleton(Time);
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.Replace(ServiceDescriptor.Singleton<IEngineHostLauncher>(Launcher));
            services.AddSingleton<IIncomingGrainCallFilter>(Calls);
            services.RemoveAll<IEngineConnPlugin>();
            services.AddSingleton<IEngineConnPlugin, ScriptedShellEngineConnPlugin>();
            services.AddSingleton<IEngineConnPlugin, PythonEngineConnPlugin>();
            services.Configure<NodeOptions>(o =>
            {
                o.PingInterval = PingInterval;
                o.MissedPingsBeforeDead = 3;
                o.WorkRoot = Path.Combine(Path.GetTempPath(), "linkis-fake");
                o.CapacityMemory = 64L << 30;
                o.CapacityCores = 64;
                o.CapacityInstances = 100;
                // The machine's real load is read, and other test assemblies share its 2 cores; no grain test is about it.
                o.MaxLoadPerCore = 1000;
                ConfigureNode(o);
            });
            services.Configure<EngineOptions>(o =>
            {
                o.CheckInterval = CheckInterval;
                // The clock jumps in steps that outrun heartbeats in flight; liveness is covered by missed pings here.
                o.HeartbeatTimeout = TimeSpan.FromHours(1);
                o.StartTimeout = TimeSpan.FromSeconds(20);
                o.LockTtl = TimeSpan.FromSeconds(60);
                ConfigureEngines(o);
            });
            // Reconciliation runs when a test calls it: some tests book tickets of engines that do not exist.
            services.Configure<LedgerOptions>(o => o.ReconcileInterval = TimeSpan.FromDays(1));
            services.Configure<QuotaOptions>(o =>
            {
                o.DefaultInstances = 3;
                // For the quota tests: a configured quota by creator pattern, and one of an engine type by user pattern.
                o.Limits.Add(new QuotaEntry { UserCreator = "*-CFGQ", Instances = 1 });
                o.Limits.Add(new QuotaEntry { UserCreator = "cfgtype-*", EngineType = "python-python3", Memory = "1g" });
            });
            services.Configure<SharingOptions>(o =>
            {
                o.ServiceAccount = ServiceAccount;
                o.GroupAccounts[SharedGroup] = GroupAccount;
                o.AllowedScopes["python-python3"] = [Abstractions.Engines.ShareLevel.User, Abstractions.Engines.ShareLevel.Connection];
            });
            ConfigureSilo(silo);
        });
        builder.ConfigureClient(client =>
        {
            client.AddActivityPropagation();
            ConfigureClient(client);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>How many silos the cluster has; each is a node, named like its silo (<c>Silo_0</c>, <c>Silo_1</c>, …).</summary>
    protected virtual short SiloCount => 1;

    /// <summary>A fixture's own silo services, over the ones above.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    /// <summary>A fixture's own node settings, over the ones above.</summary>
    protected virtual void ConfigureClient(IClientBuilder client)
    {
    }

    protected virtual void ConfigureNode(NodeOptions options)
    {
    }

    /// <summary>A fixture's own engine settings, over the ones above.</summary>
    protected virtual void ConfigureEngines(EngineOptions options)
    {
    }

    /// <summary>Moves the fake clock on in steps, so each timer sees every tick it would have seen.</summary>
    public async Task Advance(TimeSpan by, TimeSpan? step = null)
    {
        var each = step ?? TimeSpan.FromMilliseconds(500);
        for (var moved = TimeSpan.Zero; moved < by; moved += each)
        {
            await Task.Run(() => Time.Advance(each)).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Moves the fake clock to exactly <paramref name="at"/>, in one step.</summary>
    public async Task AdvanceTo(DateTimeOffset at)
    {
        var by = at - Time.GetUtcNow();
        Assert.True(by >= TimeSpan.Zero, $"the clock is already at {Time.GetUtcNow():O}, past {at:O}");
        await Task.Run(() => Time.Advance(by)).WaitAsync(TimeSpan.FromSeconds(30));
    }
}

[CollectionDefinition(Name)]
public sealed class FakeClusterCollection : ICollectionFixture<FakeClusterFixture>
{
    public const string Name = "fake cluster";
}
