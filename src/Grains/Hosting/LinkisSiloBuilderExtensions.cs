using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Nodes.Limits;
using Linkis.Orleans.Grains.Nodes.Reports;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Plugins;
using Linkis.Orleans.Grains.Security;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;

namespace Linkis.Orleans.Grains.Hosting;

public static class LinkisSiloBuilderExtensions
{
    /// <summary>
    /// Adds the Linkis grains' services to a silo: options (validated at start), the engine plugins, the node-local
    /// process launcher and supervisor, and the silo-name placement of node managers. Storage providers are the
    /// host's choice (grain storage named <see cref="StorageNames.Linkis"/>).
    /// </summary>
    public static ISiloBuilder AddLinkis(this ISiloBuilder builder, IConfiguration? configuration = null)
    {
        var services = builder.Services;
        var nodeOptions = services.AddOptions<NodeOptions>();
        var engineOptions = services.AddOptions<EngineOptions>();
        var quotaOptions = services.AddOptions<QuotaOptions>();
        var userPolicyOptions = services.AddOptions<UserPolicyOptions>();
        var tenantOptions = services.AddOptions<TenantOptions>();
        var defaultsOptions = services.AddOptions<DefaultsOptions>();
        var ledgerOptions = services.AddOptions<LedgerOptions>();
        var warmPoolOptions = services.AddOptions<WarmPoolOptions>();
        var sharingOptions = services.AddOptions<SharingOptions>();
        var eventOptions = services.AddOptions<EventOptions>();
        if (configuration is not null)
        {
            var policy = configuration.GetSection(UserPolicyOptions.SectionName);
            userPolicyOptions.Bind(policy).PostConfigure(o =>
            {
                // "alice,bob" in one value (an environment variable) binds to an empty list; an allow list that vanished
                // would let everyone in, so it is read as the list it says.
                o.DenyUsers = UserLists.Read(policy.GetSection(nameof(UserPolicyOptions.DenyUsers)), o.DenyUsers);
                o.AllowUsers = UserLists.Read(policy.GetSection(nameof(UserPolicyOptions.AllowUsers)), o.AllowUsers);
            });
            nodeOptions.Bind(configuration.GetSection(NodeOptions.SectionName));
            engineOptions.Bind(configuration.GetSection(EngineOptions.SectionName));
            quotaOptions.Bind(configuration.GetSection(QuotaOptions.SectionName));
            tenantOptions.Configure(o => TenantOptions.Bind(o, configuration.GetSection(TenantOptions.SectionName)));
            ledgerOptions.Bind(configuration.GetSection(LedgerOptions.SectionName));
            defaultsOptions.Configure(o => DefaultsOptions.Bind(o, configuration.GetSection(DefaultsOptions.SectionName)));
            warmPoolOptions.Configure(o => WarmPoolOptions.Bind(o, configuration.GetSection(WarmPoolOptions.SectionName)));
            sharingOptions.Bind(configuration.GetSection(SharingOptions.SectionName));
            eventOptions.Bind(configuration.GetSection(EventOptions.SectionName));
        }

        nodeOptions.ValidateOnStart();
        engineOptions.ValidateOnStart();
        quotaOptions.ValidateOnStart();
        userPolicyOptions.ValidateOnStart();
        tenantOptions.ValidateOnStart();
        defaultsOptions.ValidateOnStart();
        ledgerOptions.ValidateOnStart();
        warmPoolOptions.ValidateOnStart();
        sharingOptions.ValidateOnStart();
        eventOptions.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventOptions>, EventOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SharingOptions>, SharingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WarmPoolOptions>, WarmPoolOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>, LedgerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefaultsOptions>, DefaultsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TenantOptions>, TenantOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NodeOptions>, NodeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineOptions>, EngineOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QuotaOptions>, QuotaOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UserPolicyOptions>, UserPolicyOptionsValidator>());
        services.TryAddSingleton<EngineUserPolicy>();

        // Grain state is written with Orleans' own serializer, not the default Newtonsoft JSON: our state records are
        // immutable, with get-only and required members and immutable collections, which Newtonsoft cannot read back,
        // while Orleans' codecs for [GenerateSerializer] types read them exactly and tolerate added [Id] members, so
        // the state shape can grow without a migration.
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEngineConnPlugin, ShellEngineConnPlugin>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEngineConnPlugin, PythonEngineConnPlugin>());
        services.TryAddSingleton<EngineConnPluginCatalog>();

        services.TryAddSingleton<EngineHostBinary>();
        services.TryAddSingleton<EngineReadyNotifications>();
        services.TryAddSingleton<EngineLimiter>();
        services.TryAddSingleton<IEngineHostLauncher, LinuxEngineHostLauncher>();
        services.TryAddSingleton<EngineHostSupervisor>();
        services.TryAddSingleton<Nodes.Output.ExecutionOutputs>();
        services.TryAddSingleton<NodeReportBoard>();
        services.TryAddSingleton<EngineHeartbeatBoard>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LocalNodeActivator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, NodeLossWatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WarmPoolKeeper>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EventListenerDispatcher>();
        if (configuration?.GetSection(EventOptions.SectionName).GetValue<bool?>(nameof(EventOptions.OrleansStream)) == true)
        {
            builder.AddLinkisEventStream();
        }

        services.TryAddSingleton<EventPublisher>();
        services.TryAddSingleton<ILinkisEventPublisher>(sp => sp.GetRequiredService<EventPublisher>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EventPublisher>());

        services.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
        services.AddPlacementDirector<NodeLedgerPlacement, NodeLedgerPlacementDirector>();

        // A call that times out is cancelled in its grain too, so work nobody waits for stops.
        services.Configure<SiloMessagingOptions>(o => o.CancelRequestOnTimeout = true);

        // Traces flow from HTTP through the grain calls of an ask; engine grain calls log with their engine id.
        builder.AddActivityPropagation();
        builder.AddIncomingGrainCallFilter<EngineLogScopeFilter>();
        LinkisTelemetry.EnsureCreated();
        return builder;
    }

    /// <summary>
    /// Has the event log also send every event on the Orleans stream <see cref="LinkisEventStream"/>: memory streams of
    /// that name, and the pub-sub store they keep subscriptions in (in memory). What <c>Linkis:Events:OrleansStream</c>
    /// switches on.
    /// </summary>
    public static ISiloBuilder AddLinkisEventStream(this ISiloBuilder builder)
    {
        builder.AddMemoryStreams(LinkisEventStream.ProviderName);
        builder.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        builder.Services.Configure<EventOptions>(o => o.OrleansStream = true);
        return builder;
    }
}
