using System.ComponentModel;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Client.Api.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// <c>/api/v1/defaults</c>: engine property defaults by scope (Linkis' Configuration module). Anyone reads them; admins
/// set and delete them. They are merged into an ask's properties when it starts an engine.
/// </summary>
public static class DefaultsApi
{
    private const string ScopeText = "engineType=T, creator=C or userCreator=U-C, each but the first optionally with ,engineType=T";

    public static RouteGroupBuilder MapDefaultsApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var api = app.MapApiGroup("/api/v1/defaults", "Defaults", maxBodyBytes);
        api.MapGet("/", List).WithName("ListDefaults")
            .WithSummary("Every scope's engine property defaults, in the order they merge (engine type < creator < user-creator < the ask)");
        api.MapPut("/{scope}", Set).WithName("SetDefaults")
            .WithSummary("Admin: replace the defaults of a scope set over the API; they win over the configured ones of the same scope")
            .Audited(AuditedOperation.SetDefaults)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/{scope}", Clear).WithName("DeleteDefaults")
            .WithSummary("Admin: delete the defaults of a scope set over the API; its configured ones stay")
            .Audited(AuditedOperation.SetDefaults)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static async Task<Ok<List<DefaultsResponse>>> List(ILinkisClient linkis, CancellationToken cancellationToken) =>
        TypedResults.Ok((await linkis.ListDefaultsAsync(cancellationToken)).Select(DefaultsResponse.From).ToList());

    public static async Task<Results<Ok<List<DefaultsResponse>>, ProblemHttpResult>> Set(
        [Description(ScopeText)] string scope, DefaultsBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var problems = new List<ValidationError>();
        var properties = PropertyValues.Read(body.Properties, problems);
        return await Change(scope, properties, problems, http, linkis, cancellationToken);
    }

    public static Task<Results<Ok<List<DefaultsResponse>>, ProblemHttpResult>> Clear(
        [Description(ScopeText)] string scope, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken) =>
        Change(scope, new Dictionary<string, string>(), [], http, linkis, cancellationToken);

    private static async Task<Results<Ok<List<DefaultsResponse>>, ProblemHttpResult>> Change(
        string scope, Dictionary<string, string> properties, List<ValidationError> problems, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = scope;
        entry?.Change = properties.Count == 0 ? "delete" : string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"));
        if (AdminOnly.Refuse(http, "Not allowed to change defaults", "Setting and deleting engine property defaults") is { } refused)
        {
            return refused;
        }

        if (!DefaultsScope.TryParse(scope, out var parsed, out var scopeError))
        {
            problems.Insert(0, new ValidationError("scope", scopeError));
        }

        if (problems.Count > 0 || parsed is null)
        {
            return LinkisProblems.From(LinkisError.Invalid(problems));
        }

        var change = await linkis.SetDefaultsAsync(parsed, properties, cancellationToken);
        return change.Error is { } error
            ? LinkisProblems.From(error)
            : TypedResults.Ok(change.Defaults.Select(DefaultsResponse.From).ToList());
    }
}
