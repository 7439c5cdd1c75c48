using Linkis.Orleans.Client.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client;

public static class LinkisApiEndpointRouteBuilderExtensions
{
    /// <summary>Maps the Linkis HTTP API (v1) and its OpenAPI document at <c>/openapi/v1.json</c>. Needs <c>AddLinkisApi()</c>.</summary>
    public static IEndpointRouteBuilder MapLinkisApi(this IEndpointRouteBuilder app)
    {
        app.MapEnginesApi();
        app.MapClusterApi();
        app.MapOpenApi();
        return app;
    }
}
