using System.Net;
using Linkis.Orleans.Hosting;
using Linkis.Orleans.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Linkis.Orleans.Silo.Hosting;

public static class LinkisSiloHostExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// Makes this host a Linkis silo: named after its node, clustered and stored per <c>Linkis:Storage</c>
    /// (development: localhost clustering and in-memory state), with the Linkis grains and their services.
    /// </summary>
    public static WebApplicationBuilder AddLinkisSilo(this WebApplicationBuilder builder)
    {
        var config = SiloConfiguration.Read(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<SiloOptions>(o => o.SiloName = config.NodeName);
            switch (config.Storage)
            {
                case StorageMode.Memory:
                    silo.UseLocalhostClustering(config.Endpoints.SiloPort, config.Endpoints.GatewayPort, null, config.Endpoints.ServiceId, config.Endpoints.ClusterId);
                    silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
                    silo.AddMemoryGrainStorage(StorageNames.Linkis);
                    break;
            }

            silo.AddLinkis(builder.Configuration);
            if (config.Storage == StorageMode.Memory)
            {
                silo.Services.PostConfigure<NodeOptions>(o => o.StopEnginesOnShutdown ??= true);
            }
        });
        return builder;
    }
}
