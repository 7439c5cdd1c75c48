using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Linkis.Orleans.Client;

public static class LinkisClientExtensions
{
    /// <summary>
    /// For a web app outside the cluster: an Orleans client (configure clustering in <paramref name="configureClient"/>,
    /// e.g. <c>UseLocalhostClustering()</c> or ADO.NET clustering) plus <see cref="ILinkisClient"/> and the HTTP API's
    /// services, so <c>app.MapLinkisApi()</c> serves the same API as the silo.
    /// </summary>
    public static IHostApplicationBuilder AddLinkisClient(this IHostApplicationBuilder builder, Action<IClientBuilder> configureClient)
    {
        builder.UseOrleansClient(configureClient);
        builder.Services.AddLinkisApi();
        return builder;
    }

    /// <summary>
    /// <see cref="ILinkisClient"/> over whatever <see cref="IGrainFactory"/> the app has (a silo's own, or a client's),
    /// the API's JSON rules and its OpenAPI document.
    /// </summary>
    public static IServiceCollection AddLinkisApi(this IServiceCollection services)
    {
        services.TryAddSingleton<ILinkisClient, GrainLinkisClient>();
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Linkis.Orleans API";
            document.Info.Description = "Ask for engines, run code in them, watch and kill them.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>
    /// The API's JSON: camelCase, enums as strings, nulls left out, and strict numbers — a number in quotes is an
    /// error, not silently parsed — and unknown members rejected, so a typo in a field name is a 400, not ignored.
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter());
    }
}
