using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/me</c>: who the credentials sent make the caller, so a console or a CLI can say so and offer only what is allowed.</summary>
public static class CallerApi
{
    public static RouteGroupBuilder MapCallerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/v1", "Caller");
        api.MapGet("/me", Me).WithName("GetCaller")
            .WithSummary("The caller as the API reads their credentials: name, user, the users whose engines they own, and whether they are an admin");
        return api;
    }

    public static Ok<CallerResponse> Me(HttpContext http) => TypedResults.Ok(CallerResponse.From(http.LinkisCaller()));
}
