using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/engines</c>: ask, list, the queue of asks waiting for room, get, execute, kill, unlock, log, and the admins' kill by filter.</summary>
public static class EnginesApi
{
    private const string Who = "on whose behalf the caller acts, for the record: the engine records \"<caller> for <by>\" (without authentication, just <by>; default api)";

    public static RouteGroupBuilder MapEnginesApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var api = app.MapApiGroup("/api/v1/engines", "Engines", maxBodyBytes);

        api.MapPost("/", Ask).WithName("AskEngine")
            .WithSummary("Ask for an engine: reuse an idle one or start a new one; answers once it is ready")
            .Audited(AuditedOperation.Ask)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapGet("/", List).WithName("ListEngines").WithSummary("List engines, optionally by user, creator, engine type, status, node and how long they have been idle")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/queue", Queue).WithName("ListQueuedAsks")
            .WithSummary("The asks waiting for room (quota or nodes full, asked with queue), with their places; a non-admin sees those of their own users");
        api.MapPost("/kill", KillMatching).WithName("KillEngines")
            .WithSummary("Admin: kill every engine that matches the filter; answers with the engines killed, once they have ended")
            .Audited(AuditedOperation.KillEngines)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/{engineId}", Get).WithName("GetEngine").WithSummary("One engine")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{engineId}/execute", Execute).WithName("ExecuteCode")
            .WithSummary("Run code in the engine; state persists between executions")
            .Audited(AuditedOperation.Execute)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapDelete("/{engineId}", Kill).WithName("KillEngine")
            .WithSummary("Kill the engine; answers once its process is gone and its resources are released")
            .Audited(AuditedOperation.Kill)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{engineId}/lock", Unlock).WithName("UnlockEngine")
            .WithSummary("End the engine's lease so other asks may be handed it")
            .Audited(AuditedOperation.Unlock)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{engineId}/log", Log).WithName("GetEngineLog").WithSummary("The end of the engine's stdout or stderr log")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Ask(
        AskBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var ask = AskBodyParser.Parse(body, out var errors);
        if (ask is null)
        {
            return LinkisProblems.From(LinkisError.Invalid(errors));
        }

        // The parser has checked the label, so it parses.
        var user = UserCreatorLabel.TryParse(ask.Labels[LabelKeys.UserCreator], out var userCreator, out _) ? userCreator.User : "";
        var caller = http.LinkisCaller();
        var entry = AuditEntry.Of(http);
        entry?.ActingUser = user;
        if (!caller.MayActAs(user))
        {
            entry?.Refusal = $"the caller may not act as {user}";
            return LinkisProblems.From(NotYourUser(caller, user, ask.Labels[LabelKeys.UserCreator]!));
        }

        var result = await linkis.AskAsync(ask with { RequestedBy = caller.IsAnonymous ? null : caller.Name }, cancellationToken);
        entry?.EngineId = result.Engine?.EngineId;
        return result.Engine is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine, result.Reused))
            : LinkisProblems.From(result.Error!);
    }

    internal static LinkisError NotYourUser(LinkisCaller caller, string user, string userCreator)
    {
        var mayAsk = caller.Users.ToList() is { Count: > 0 } users ? $"may ask only as {string.Join(", ", users)}" : "acts as no user (its credentials name none)";
        if (caller.User is { } own && !UserCreatorLabel.IsValidUser(own))
        {
            mayAsk += $" ('{own}' is not a Linux user name: is {LinkisClaimsOptions.SectionName}:User the right claim?)";
        }

        return new LinkisError(LinkisErrorKind.Forbidden, "Not allowed to ask as this user",
            $"userCreator '{userCreator}' asks as the user '{user}', but the caller '{caller.DisplayName}' {mayAsk}. Ask as your own user, or have '{user}' granted as a proxy user.");
    }

    public static async Task<Results<Ok<List<EngineResponse>>, ProblemHttpResult>> List(
        HttpContext http,
        ILinkisClient linkis,
        [Description("a Linux user name")] string? user,
        [Description("the creator part of the user-creator, e.g. IDE"), RegularExpression(UserCreatorLabel.CreatorPattern, ErrorMessage = ApiMessages.CreatorPattern)] string? creator,
        [Description("type-version, e.g. shell-1")] string? engineType,
        [Description("an engine status"), EnumName(typeof(EngineStatus))] string? status,
        [Description("a node name")] string? node,
        [Description("only Idle engines idle for at least this long, e.g. 30m"), RegularExpression(Quantities.DurationPattern, ErrorMessage = ApiMessages.DeadlinePattern)] string? idleFor,
        CancellationToken cancellationToken)
    {
        var wanted = status is null ? (EngineStatus?)null : Enum.Parse<EngineStatus>(status, ignoreCase: true);
        if (ToFilter(user, creator, engineType, wanted, node, idleFor, out var error) is not { } filter)
        {
            return LinkisProblems.From(error!);
        }

        var engines = await linkis.VisibleEnginesAsync(http.LinkisCaller(), filter, cancellationToken);
        return TypedResults.Ok(engines.Select(e => EngineResponse.From(e)).ToList());
    }

    public static async Task<Ok<List<QueuedAskResponse>>> Queue(HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var caller = http.LinkisCaller();
        var asks = await linkis.ListQueuedAsksAsync(cancellationToken);
        return TypedResults.Ok(asks
            .Where(a => caller.MayActAsUserOf(a.UserCreator))
            .Select(QueuedAskResponse.From)
            .ToList());
    }

    public static async Task<Results<Ok<List<EngineResponse>>, ProblemHttpResult>> KillMatching(
        KillFilterBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var entry = AuditEntry.Of(http);
        entry?.Node = $"engines of user {body.User ?? "*"}, creator {body.Creator ?? "*"}, type {body.EngineType ?? "*"}, node {body.Node ?? "*"}, status {body.Status?.ToString() ?? "*"}, idle for {body.IdleFor ?? "-"}";
        if (AdminOnly.Refuse(http, "Not allowed to kill engines by filter", "Killing engines by a filter") is { } refused)
        {
            return refused;
        }

        if (ToFilter(body.User, body.Creator, body.EngineType, body.Status, body.Node, body.IdleFor, out var error) is not { } filter)
        {
            return LinkisProblems.From(error!);
        }

        if (filter.IsEmpty)
        {
            return LinkisProblems.From(LinkisError.Invalid("body",
                "names no engines; give at least one of user, creator, engineType, node, status or idleFor (to kill every engine, filter by each status)"));
        }

        var by = http.LinkisCaller().RecordedBy(null, "api");
        var matching = (await linkis.ListAsync(filter, cancellationToken)).Where(e => !e.Status.IsEnded()).ToList();
        var killed = await Task.WhenAll(matching.Select(e => linkis.KillAsync(e.EngineId, by, cancellationToken)));
        var ended = killed.OfType<EngineInfo>().ToList();
        entry?.Change = ended.Count == 0 ? "killed none" : $"killed {string.Join(", ", ended.Select(e => e.EngineId))}";
        return TypedResults.Ok(ended.Select(e => EngineResponse.From(e)).ToList());
    }

    private static EngineFilter? ToFilter(
        string? user, string? creator, string? engineType, EngineStatus? status, string? node, string? idleFor, out LinkisError? error)
    {
        error = null;
        TimeSpan? idle = null;
        if (idleFor is not null)
        {
            if (!Quantities.TryParseDuration(idleFor, out var parsed, out var message))
            {
                error = LinkisError.Invalid("idleFor", message);
                return null;
            }

            if (status is { } other && other != EngineStatus.Idle)
            {
                error = LinkisError.Invalid("idleFor", $"matches only Idle engines, so with status {other} it would match none; leave one of them out");
                return null;
            }

            idle = parsed;
        }

        return new EngineFilter(user, engineType, status, node) { Creator = creator, IdleFor = idle };
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Get(string engineId, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken) =>
        await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<ExecuteResponse>, ProblemHttpResult>> Execute(
        string engineId, ExecuteBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var code = body.Code!;
        if (LinkisProblems.CodeTooLong(code) is { } tooLong)
        {
            return tooLong;
        }

        if (await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is null)
        {
            return LinkisProblems.EngineNotFound(engineId);
        }

        var timeout = TimeSpan.FromSeconds(body.TimeoutSeconds ?? ServiceLimits.DefaultExecuteTimeoutSeconds);
        var result = await linkis.ExecuteAsync(engineId, new ExecuteRequest(code, timeout) { By = http.LinkisCaller().RecordedBy(null, "api") }, cancellationToken);
        return result.Error is { } error
            ? LinkisProblems.From(error)
            : TypedResults.Ok(new ExecuteResponse
            {
                ExitCode = result.ExitCode,
                Stdout = result.Stdout,
                Stderr = result.Stderr,
                TimedOut = result.TimedOut,
                Truncated = result.Truncated,
            });
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Kill(
        string engineId, HttpContext http, ILinkisClient linkis, [Description(Who), MaxLength(128, ErrorMessage = ApiMessages.MaxLength)] string? by, CancellationToken cancellationToken) =>
        await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is not null
        && await linkis.KillAsync(engineId, http.LinkisCaller().RecordedBy(by, "api"), cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Unlock(
        string engineId, HttpContext http, ILinkisClient linkis, [Description(Who), MaxLength(128, ErrorMessage = ApiMessages.MaxLength)] string? by, CancellationToken cancellationToken) =>
        await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is not null
        && await linkis.UnlockAsync(engineId, http.LinkisCaller().RecordedBy(by, "api"), cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<LogResponse>, ProblemHttpResult>> Log(
        string engineId,
        HttpContext http,
        ILinkisClient linkis,
        [Description("stdout (default) or stderr"), RegularExpression("^(stdout|stderr)$", ErrorMessage = "must be stdout or stderr")] string? stream,
        [Description("how many lines from the end (default 200)"), Range(1, ServiceLimits.MaxLogTailLines, ErrorMessage = ApiMessages.Range)] int? tail,
        CancellationToken cancellationToken)
    {
        if (await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is null)
        {
            return LinkisProblems.EngineNotFound(engineId);
        }

        var log = await linkis.ReadLogAsync(engineId, stream ?? "stdout", tail ?? ServiceLimits.DefaultLogTailLines, cancellationToken);
        return log.Error is { } error
            ? LinkisProblems.From(error)
            : TypedResults.Ok(new LogResponse { EngineId = log.EngineId, Stream = log.Stream, Lines = log.Lines });
    }
}
