using System.ComponentModel;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// <c>/api/v1/quotas</c>: what each user-creator may book. Anyone reads the quotas of their own users; admins read all
/// and set or delete them. A lowered quota stops nothing that runs; it refuses new engines until enough of them end.
/// </summary>
public static class QuotasApi
{
    private const string EngineTypeQuery = "the engine type whose own quota to delete; left out, the quota of all engine types";

    public static RouteGroupBuilder MapQuotasApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var api = app.MapApiGroup("/api/v1/quotas", "Quotas", maxBodyBytes);
        api.MapGet("/", List).WithName("ListQuotas")
            .WithSummary("The quotas of every user-creator that has booked or has a quota set; a non-admin sees those of their own users");
        api.MapGet("/{userCreator}", Get).WithName("GetQuota")
            .WithSummary("A user-creator's quota: its limits, where each comes from, what its engines hold and which engines they are")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPut("/{userCreator}", Set).WithName("SetQuota")
            .WithSummary("Admin: set a user-creator's quota of all engine types, or of one (engineType); saved, and in force for the next ask")
            .Audited(AuditedOperation.SetQuota)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapDelete("/{userCreator}", Clear).WithName("DeleteQuota")
            .WithSummary("Admin: delete a quota set over the API; the configured quota, or the default, applies again")
            .Audited(AuditedOperation.ClearQuota)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    public static async Task<Ok<List<QuotaResponse>>> List(HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var caller = http.LinkisCaller();
        var quotas = await linkis.ListQuotasAsync(cancellationToken);
        return TypedResults.Ok(quotas.Where(q => caller.MayActAsUserOf(q.UserCreator)).Select(QuotaResponse.From).ToList());
    }

    public static async Task<Results<Ok<QuotaResponse>, ProblemHttpResult>> Get(
        [Description("user-creator, e.g. bob-ETL")] string userCreator, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        if (Parse(userCreator) is not { } label)
        {
            return BadUserCreator(userCreator);
        }

        var caller = http.LinkisCaller();
        if (!caller.MayActAs(label.User))
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Forbidden, "Not allowed to read this quota",
                $"The quota of {label} belongs to the user '{label.User}', who is not a user of the caller '{caller.DisplayName}'. Read the quotas of your own users, or ask an admin."));
        }

        return TypedResults.Ok(QuotaResponse.From(await linkis.GetQuotaAsync(label, cancellationToken)));
    }

    public static async Task<Results<Ok<QuotaResponse>, ProblemHttpResult>> Set(
        [Description("user-creator, e.g. bob-ETL")] string userCreator, QuotaBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = userCreator;
        entry?.Change = $"{body.EngineType ?? "all engine types"}: memory {body.Memory ?? "-"}, cores {body.Cores?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, instances {body.Instances?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";
        if (RefuseNonAdmin(http) is { } refused)
        {
            return refused;
        }

        var problems = new List<ValidationError>();
        var label = Parse(userCreator);
        if (label is null)
        {
            problems.Add(UserCreatorError(userCreator));
        }

        long? memory = null;
        if (body.Memory is { } text)
        {
            if (Quantities.TryParseBytes(text, out var bytes, out var error))
                memory = bytes;
            else
                problems.Add(new ValidationError("memory", error));
        }

        if (body.Memory is null && body.Cores is null && body.Instances is null)
        {
            problems.Add(new ValidationError("body", "limits nothing; set memory, cores or instances, e.g. {\"instances\":3}"));
        }

        if (body.EngineType is { } type && await UnknownEngineType(linkis, type, cancellationToken) is { } unknown)
        {
            problems.Add(unknown);
        }

        if (problems.Count > 0 || label is null)
        {
            return LinkisProblems.From(LinkisError.Invalid(problems));
        }

        var quota = await linkis.SetQuotaAsync(label, body.EngineType, new QuotaValues(memory, body.Cores, body.Instances), cancellationToken);
        return TypedResults.Ok(QuotaResponse.From(quota));
    }

    public static async Task<Results<Ok<QuotaResponse>, ProblemHttpResult>> Clear(
        [Description("user-creator, e.g. bob-ETL")] string userCreator,
        [Description(EngineTypeQuery), System.ComponentModel.DataAnnotations.RegularExpression(EngineTypeLabel.Pattern, ErrorMessage = ApiMessages.EngineTypePattern)] string? engineType,
        HttpContext http,
        ILinkisClient linkis,
        CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = userCreator;
        entry?.Change = $"delete the quota of {engineType ?? "all engine types"}";
        if (RefuseNonAdmin(http) is { } refused)
        {
            return refused;
        }

        return Parse(userCreator) is { } label
            ? TypedResults.Ok(QuotaResponse.From(await linkis.ClearQuotaAsync(label, engineType, cancellationToken)))
            : BadUserCreator(userCreator);
    }

    private static ProblemHttpResult? RefuseNonAdmin(HttpContext http) =>
        AdminOnly.Refuse(http, "Not allowed to change quotas", "Setting and deleting quotas");

    private static async Task<ValidationError?> UnknownEngineType(ILinkisClient linkis, string engineType, CancellationToken cancellationToken)
    {
        var installed = (await linkis.GetEngineTypesAsync(cancellationToken)).Select(t => t.EngineType).Order(StringComparer.Ordinal).ToList();
        return installed.Contains(engineType, StringComparer.Ordinal)
            ? null
            : new ValidationError("engineType", $"no engine type '{engineType}' is installed; installed: {string.Join(", ", installed)}");
    }

    private static UserCreatorLabel? Parse(string userCreator) => UserCreatorLabel.TryParse(userCreator, out var label, out _) ? label : null;

    private static ValidationError UserCreatorError(string userCreator) =>
        new("userCreator", UserCreatorLabel.TryParse(userCreator, out _, out var error) ? "" : error);

    private static ProblemHttpResult BadUserCreator(string userCreator) => LinkisProblems.From(LinkisError.Invalid([UserCreatorError(userCreator)]));
}
