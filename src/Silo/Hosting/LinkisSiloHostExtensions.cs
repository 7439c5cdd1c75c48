using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Linkis.Orleans.Grains;
using Linkis.Orleans.Grains.Hosting;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Silo.Storage;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Linkis.Orleans.Silo.Hosting;

public static class LinkisSiloHostExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The configuration section bound to Orleans' <see cref="ClusterMembershipOptions"/>.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>
    /// Makes this host a Linkis silo: named after its node, clustered and stored per <c>Linkis:Storage</c>
    /// (development: localhost clustering and in-memory state; production: PostgreSQL for clustering, grain state and
    /// reminders), with the Linkis grains and their services. Returns the configuration it read.
    /// </summary>
    public static SiloConfiguration AddLinkisSilo(this WebApplicationBuilder builder)
    {
        var config = SiloConfiguration.Read(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var endpoints = config.Endpoints;
        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloOptions>(o => o.SiloName = config.NodeName);
            // How soon a dead or cut-off silo is declared dead (probe period, missed probes, votes): Orleans' own knobs,
            // under their own names, for hosts whose network or test needs other figures than Orleans' defaults.
            silo.Services.AddOptions<ClusterMembershipOptions>().Bind(builder.Configuration.GetSection(MembershipSection));
            switch (config.Storage)
            {
                case StorageMode.Memory:
                    silo.UseLocalhostClustering(endpoints.SiloPort, endpoints.GatewayPort, null, endpoints.ServiceId, endpoints.ClusterId);
                    silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = endpoints.AdvertisedIPAddress ?? IPAddress.Loopback);
                    silo.AddMemoryGrainStorage(StorageNames.Linkis);
                    silo.UseInMemoryReminderService();
                    break;

                case StorageMode.PostgreSql:
                    silo.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = endpoints.ClusterId;
                        o.ServiceId = endpoints.ServiceId;
                    });
                    silo.ConfigureEndpoints(endpoints.AdvertisedIPAddress ?? config.Kubernetes?.Ip ?? HostAddress(), endpoints.SiloPort, endpoints.GatewayPort, listenOnAnyHostAddress: true);
                    silo.UseAdoNetClustering(o =>
                    {
                        o.Invariant = PostgresStorage.Invariant;
                        o.ConnectionString = config.ConnectionString;
                    });
                    silo.AddAdoNetGrainStorage(StorageNames.Linkis, o =>
                    {
                        o.Invariant = PostgresStorage.Invariant;
                        o.ConnectionString = config.ConnectionString;
                    });
                    silo.UseAdoNetReminderService(o =>
                    {
                        o.Invariant = PostgresStorage.Invariant;
                        o.ConnectionString = config.ConnectionString;
                    });
                    if (config.Kubernetes is not null)
                    {
                        // Orleans' Kubernetes hosting: it labels this pod with the cluster and service ids, and up to
                        // two silos watch the pods so labelled: a silo whose pod is deleted, or that has no pod when a
                        // silo starts, is declared dead without waiting for missed probes. What it would
                        // set itself — the silo's name from POD_NAME, the ids from ORLEANS_CLUSTER_ID and
                        // ORLEANS_SERVICE_ID — KubernetesPod.Read has checked to be what is configured above, and the
                        // advertised address is already set (POD_IP), so it changes nothing here. It never deletes
                        // pods (DeleteDefunctSiloPods stays off): the StatefulSet owns them.
                        silo.UseKubernetesHosting();
                    }

                    break;
            }

            if (config.Tls is { } tls)
            {
                // Both Orleans ports, inbound and outbound: silos and clients alike must present the cluster's certificate.
                silo.UseTls(tls.Configure);
            }

            silo.AddLinkis(builder.Configuration);
            silo.AddDashboard();
            if (config.Storage == StorageMode.Memory)
            {
                silo.Services.PostConfigure<NodeOptions>(o => o.StopEnginesOnShutdown ??= true);
            }

            // A production silo run as root starts each engine as its user's own account unless told otherwise; in
            // development engines run as the silo's user, whoever that is.
            silo.Services.PostConfigure<NodeOptions>(o => o.RunAsRequestingUser ??= config.Storage == StorageMode.PostgreSql && UserAccounts.CurrentUid == 0);
        });

        builder.Services.AddLinkisHealthChecks();
        if (config.Storage == StorageMode.PostgreSql)
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(config.ConnectionString!));
            builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: [HealthEndpoints.ReadyTag]);
        }

        return config;
    }

    /// <summary>This host's first up, non-loopback IPv4 address (loopback when it has none).</summary>
    private static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? IPAddress.Loopback;
}
