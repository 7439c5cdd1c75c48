using System.Text.Json;
using System.Text.Json.Serialization;
using Linkis.Orleans.Client.Api;
using Linkis.Orleans.Client.Cluster;
using Linkis.Orleans.Client.OpenApi;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Linkis.Orleans.Client;

public static class LinkisClientExtensions
{
    /// <summary>
    /// For a web app outside the cluster: an Orleans client (configure clustering in <paramref name="configureClient"/>,
    /// e.g. <c>UseLocalhostClustering()</c> or ADO.NET clustering) plus <see cref="ILinkisClient"/> and the HTTP API's
    /// services, so <c>app.MapLinkisApi()</c> serves the same API as the silo.
    /// </summary>
    /// <remarks>
    /// When the app's configuration sets <c>Linkis:Cluster:Tls:CertificatePath</c> (as the silo's does), the client
    /// connects over mutual TLS with that certificate; a bad setting throws here, naming its key.
    /// </remarks>
    public static IHostApplicationBuilder AddLinkisClient(this IHostApplicationBuilder builder, Action<IClientBuilder> configureClient) =>
        builder.AddLinkisClient(configureClient, ClusterTls.Read(builder.Configuration));

    /// <summary>
    /// As <see cref="AddLinkisClient(IHostApplicationBuilder, Action{IClientBuilder})"/>, connecting over mutual TLS
    /// with <paramref name="tls"/> (the cluster's certificate, e.g. from a secret store) unless it is
    /// <see langword="null"/>; the configuration's <c>Linkis:Cluster:Tls</c> is not read.
    /// </summary>
    public static IHostApplicationBuilder AddLinkisClient(this IHostApplicationBuilder builder, Action<IClientBuilder> configureClient, ClusterTls? tls)
    {
        builder.UseOrleansClient(client =>
        {
            // A call that times out is cancelled in its grain too, so work nobody waits for stops.
            client.Configure<ClientMessagingOptions>(o => o.CancelRequestOnTimeout = true);
            if (tls is not null)
            {
                client.UseLinkisClusterTls(tls);
            }

            configureClient(client);
        });
        builder.Services.AddLinkisApi(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// <see cref="ILinkisClient"/> over whatever <see cref="IGrainFactory"/> the app has (a silo's own, or a client's),
    /// the API's JSON rules, its validation, its problem responses and its OpenAPI document. The app must call
    /// <c>app.UseExceptionHandler()</c> so what a handler does not answer is still a problem, not a stack trace.
    /// The API answers only authenticated callers: the app's own authentication decides who calls (its
    /// <c>HttpContext.User</c>, read through <see cref="LinkisClaimsOptions"/>); an app with none answers 401.
    /// </summary>
    public static IServiceCollection AddLinkisApi(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var api = services.AddOptions<ApiOptions>();
        if (configuration is not null)
        {
            api.Bind(configuration.GetSection(ApiOptions.SectionName));
        }

        api.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());

        var claims = services.AddOptions<LinkisClaimsOptions>();
        if (configuration is not null)
        {
            claims.Bind(configuration.GetSection(LinkisClaimsOptions.SectionName));
        }

        claims.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LinkisClaimsOptions>, LinkisClaimsOptionsValidator>());
        AddCallers(services);

        services.TryAddSingleton<ILinkisClient, GrainLinkisClient>();
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        // Called here, in the assembly that maps the endpoints: the validation generator only sees handlers mapped in
        // the same compilation as the AddValidation call.
        services.AddValidation();
        // A body or parameter the framework cannot read throws, so LinkisExceptionHandler can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<LinkisExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemShapes.Customize);
        services.AddOpenApi("v1", o =>
        {
            // The document is this API's contract; whatever else the host serves (dashboard, console) is not in it.
            o.ShouldInclude = d => (d.GroupName is null || d.GroupName == o.DocumentName)
                && (d.RelativePath ?? "").StartsWith("api/", StringComparison.Ordinal);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Linkis.Orleans API";
                document.Info.Description = "Ask for engines, run code in them, watch and kill them. Every error is an RFC 7807 problem.";
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer(ProblemSchema.Apply);
            o.AddSchemaTransformer(NullableNotRequired.Apply);
            o.AddSchemaTransformer(EnumsAsStrings.Apply);
            o.AddSchemaTransformer(AskLabelsSchema.Apply);
            o.AddSchemaTransformer(AskPropertiesSchema.Apply);
            o.AddSchemaTransformer(ExecuteCodeSchema.Apply);
            o.AddSchemaTransformer(NodeLimitsSchema.Apply);
            o.AddOperationTransformer(EnumParameters.Apply);
            o.AddOperationTransformer(TextResponses.Apply);
        });
        return services;
    }

    /// <summary>
    /// Callers from <c>HttpContext.User</c>, the admin policy, and 401/403 answers as problems. The app's own result
    /// handler, if it registered one, is left in place.
    /// </summary>
    private static void AddCallers(IServiceCollection services)
    {
        services.TryAddSingleton<LinkisCallers>();
        services.AddAuthorization(o => o.AddLinkisPolicies());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, AdminRequirementHandler>());
        var resultHandler = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        if (resultHandler is null || resultHandler.ImplementationType == typeof(AuthorizationMiddlewareResultHandler))
        {
            services.Replace(ServiceDescriptor.Singleton<IAuthorizationMiddlewareResultHandler, LinkisAuthorizationResultHandler>());
        }
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
