using Linkis.Orleans.Client.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client;

public static class LinkisApiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the Linkis HTTP API (v1) and its OpenAPI document at <c>/openapi/v1.json</c>. Needs <c>AddLinkisApi()</c>.</summary>
    public static IEndpointRouteBuilder MapLinkisApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ApiOptions>>().Value;
        app.MapEnginesApi(options.MaxBodyBytes);
        app.MapExecutionsApi(options.MaxBodyBytes);
        app.MapJobsApi(options.MaxBodyBytes);
        app.MapNodesApi(options.MaxBodyBytes);
        app.MapQuotasApi(options.MaxBodyBytes);
        app.MapDefaultsApi(options.MaxBodyBytes);
        app.MapWarmPoolsApi();
        app.MapEventsApi();
        app.MapClusterApi();
        app.MapCallerApi();
        app.MapOpenApi();
        return app;
    }
}
