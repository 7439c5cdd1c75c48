using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary>What every group of the API shares: an authenticated caller, a 503 when the cluster is out of reach, and both in the document.</summary>
public static class ApiGroups
{
    /// <summary>The group of routes under <paramref name="prefix"/>; with <paramref name="maxBodyBytes"/> its bodies are held to that size.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag, long? maxBodyBytes = null)
    {
        var api = app.MapGroup(prefix).WithTags(tag).AddEndpointFilter<UnavailableFilter>();
        if (maxBodyBytes is { } limit)
        {
            api.WithMetadata(new BodySizeLimit(limit));
        }

        return api.RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
