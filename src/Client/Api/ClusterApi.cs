using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/resources</c>, <c>/api/v1/engine-types</c> and a ping: what the cluster has (nodes: <see cref="NodesApi"/>).</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/v1", "Cluster");
        api.MapGet("/resources", Resources).WithName("ListResources")
            .WithSummary("Resource ledgers; label= a canonical key such as userCreator=alice-IDE or node=worker-1. A non-admin sees only the user-creator ledgers of their own users")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/diagnostics/ping", Ping).WithName("Ping").WithSummary("A grain call that does nothing: how fast the cluster answers");
        api.MapGet("/engine-types", EngineTypes).WithName("ListEngineTypes").WithSummary("Installed engine plugins and their default resources");
        return api;
    }

    public static async Task<Results<Ok<List<LedgerResponse>>, ProblemHttpResult>> Resources(HttpContext http, ILinkisClient linkis, string? label, CancellationToken cancellationToken)
    {
        var caller = http.LinkisCaller();
        if (label is null)
        {
            return TypedResults.Ok((await linkis.ListLedgersAsync(cancellationToken)).Where(l => caller.MaySee(l.Key)).Select(LedgerResponse.From).ToList());
        }

        if (LedgerKeys.IsNodeKey(label) && !caller.IsAdmin)
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Forbidden, "Not allowed to read node ledgers",
                $"Node ledgers are for the {LinkisRoles.Admin} role; the caller '{caller.DisplayName}' does not have it. GET /api/v1/nodes shows each node's capacity, used and locked resources."));
        }

        // Another user's ledger answers as an unknown one does.
        var ledger = caller.MaySee(label) ? await linkis.GetLedgerAsync(label, cancellationToken) : null;
        return ledger is null
            ? LinkisProblems.From(new LinkisError(LinkisErrorKind.NotFound, "No such ledger",
                $"No ledger '{label}' has been used. Keys look like userCreator=alice-IDE or node=worker-1; list them all with GET /api/v1/resources."))
            : TypedResults.Ok(new List<LedgerResponse> { LedgerResponse.From(ledger) });
    }

    public static async Task<NoContent> Ping(ILinkisClient linkis, CancellationToken cancellationToken)
    {
        await linkis.PingAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<EngineTypeResponse>>> EngineTypes(ILinkisClient linkis, CancellationToken cancellationToken) =>
        TypedResults.Ok((await linkis.GetEngineTypesAsync(cancellationToken)).Select(EngineTypeResponse.From).ToList());
}
