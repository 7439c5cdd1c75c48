using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/warm-pools</c>: the configured warm pools and their state; a non-admin sees those of their own users.</summary>
public static class WarmPoolsApi
{
    public static RouteGroupBuilder MapWarmPoolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/v1/warm-pools", "Warm pools");
        api.MapGet("/", List).WithName("ListWarmPools")
            .WithSummary("Every warm pool (Linkis:WarmPool): the engines it holds in reserve, what it is starting, what it has handed out, and why it is blocked if it is");
        return api;
    }

    public static async Task<Ok<List<WarmPoolResponse>>> List(HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var caller = http.LinkisCaller();
        var pools = await linkis.ListWarmPoolsAsync(cancellationToken);
        return TypedResults.Ok(pools
            .Where(p => caller.MayActAsUserOf(p.UserCreator))
            .Select(WarmPoolResponse.From)
            .ToList());
    }
}
