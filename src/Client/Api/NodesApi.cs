using System.ComponentModel;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/nodes</c>: the worker nodes, and the admins' drain and eligibility (Nomad's <c>node drain</c> / <c>node eligibility</c>).</summary>
public static class NodesApi
{
    public static RouteGroupBuilder MapNodesApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var api = app.MapApiGroup("/api/v1/nodes", "Nodes", maxBodyBytes);
        api.MapGet("/", ListNodes).WithName("ListNodes").WithSummary("Worker nodes: verdict, labels, load, capacity, used, locked, engines, drain");
        api.MapGet("/{name}", GetNode).WithName("GetNode").WithSummary("One worker node")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{name}/drain", Drain).WithName("DrainNode")
            .WithSummary("Admin: the node takes no new engines; its idle engines stop now, busy ones after their execution or at the deadline")
            .Audited(AuditedOperation.DrainNode)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/{name}/eligibility", SetEligibility).WithName("SetNodeEligibility")
            .WithSummary("Admin: stop (false) or resume (true) new placements on the node without touching its engines; true also ends a drain")
            .Audited(AuditedOperation.SetNodeEligibility)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    public static async Task<Ok<List<NodeResponse>>> ListNodes(ILinkisClient linkis, CancellationToken cancellationToken) =>
        TypedResults.Ok((await linkis.ListNodesAsync(cancellationToken)).Select(NodeResponse.From).ToList());

    public static async Task<Results<Ok<NodeResponse>, ProblemHttpResult>> GetNode(string name, ILinkisClient linkis, CancellationToken cancellationToken) =>
        (await linkis.ListNodesAsync(cancellationToken)).FirstOrDefault(n => n.Name == name) is { } node
            ? TypedResults.Ok(NodeResponse.From(node))
            : LinkisProblems.From(NoSuchNode(name));

    public static async Task<Results<Ok<NodeAdmissionResponse>, ProblemHttpResult>> Drain(
        string name, [Description("the drain's deadline")] DrainBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = name;
        entry?.Change = $"drain, deadline {body.Deadline}";
        if (RefuseNonAdmin(http) is { } refused)
        {
            return refused;
        }

        if (!Quantities.TryParseDuration(body.Deadline, out var deadline, out var error)
            || deadline <= TimeSpan.Zero || deadline > TimeSpan.FromSeconds(ServiceLimits.MaxDrainDeadlineSeconds))
        {
            return LinkisProblems.From(LinkisError.Invalid("deadline",
                error is { Length: > 0 } ? error : $"must be more than 0 and at most {Quantities.FormatDuration(TimeSpan.FromSeconds(ServiceLimits.MaxDrainDeadlineSeconds))}"));
        }

        return await linkis.DrainNodeAsync(name, deadline, http.LinkisCaller().DisplayName, cancellationToken) is { } admission
            ? TypedResults.Ok(NodeAdmissionResponse.From(admission))
            : LinkisProblems.From(NoSuchNode(name));
    }

    public static async Task<Results<Ok<NodeAdmissionResponse>, ProblemHttpResult>> SetEligibility(
        string name, EligibilityBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = name;
        entry?.Change = $"eligible {body.Eligible}";
        if (RefuseNonAdmin(http) is { } refused)
        {
            return refused;
        }

        return await linkis.SetNodeEligibilityAsync(name, body.Eligible!.Value, http.LinkisCaller().DisplayName, cancellationToken) is { } admission
            ? TypedResults.Ok(NodeAdmissionResponse.From(admission))
            : LinkisProblems.From(NoSuchNode(name));
    }

    private static ProblemHttpResult? RefuseNonAdmin(HttpContext http) =>
        AdminOnly.Refuse(http, "Not allowed to change nodes", "Draining a node and setting its eligibility");

    private static LinkisError NoSuchNode(string name) =>
        new(LinkisErrorKind.NotFound, "No such node", $"No node named '{name}' has reported. List nodes with GET /api/v1/nodes.");
}
