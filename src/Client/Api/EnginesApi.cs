using System.Text.Json;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Diagnostics;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Client.Api;

/// <summary><c>/api/v1/engines</c>: ask, list, get, execute, kill, log.</summary>
public static class EnginesApi
{
    public const int DefaultExecuteTimeoutSeconds = 30;

    public static RouteGroupBuilder MapEnginesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/engines").WithTags("Engines").AddEndpointFilter<OrleansUnavailableFilter>();

        api.MapPost("/", Ask).WithName("AskEngine")
            .WithSummary("Ask for an engine: reuse an idle one or start a new one; answers once it is ready")
            .Accepts<AskBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapGet("/", List).WithName("ListEngines").WithSummary("List engines, optionally by user, engine type and status")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{engineId}", Get).WithName("GetEngine").WithSummary("One engine");
        api.MapPost("/{engineId}/execute", Execute).WithName("ExecuteCode")
            .WithSummary("Run code in the engine; state persists between executions")
            .Accepts<ExecuteBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/{engineId}", Kill).WithName("KillEngine")
            .WithSummary("Kill the engine; answers once its process is gone and its resources are released");
        api.MapDelete("/{engineId}/lock", Unlock).WithName("UnlockEngine")
            .WithSummary("End the engine's lease so other asks may be handed it");
        api.MapGet("/{engineId}/log", Log).WithName("GetEngineLog").WithSummary("The end of the engine's stdout or stderr log")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Ask(
        HttpRequest request, ILinkisClient linkis, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await LinkisProblems.ReadBodyAsync<AskBody>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        var ask = AskBodyParser.Parse(body!, out var errors);
        if (ask is null)
        {
            return LinkisProblems.From(LinkisError.Invalid(errors));
        }

        var result = await linkis.AskAsync(ask, cancellationToken);
        return result.Engine is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine, result.Reused))
            : LinkisProblems.From(result.Error!);
    }

    public static async Task<Results<Ok<List<EngineResponse>>, ProblemHttpResult>> List(
        ILinkisClient linkis, string? user, string? engineType, string? status, string? node, CancellationToken cancellationToken)
    {
        EngineStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<EngineStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return LinkisProblems.Invalid("status", $"'{status}' is not a status; use one of {string.Join(", ", Enum.GetNames<EngineStatus>())}");
            }

            wanted = parsed;
        }

        var engines = await linkis.ListAsync(new EngineFilter(user, engineType, wanted, node), cancellationToken);
        return TypedResults.Ok(engines.Select(e => EngineResponse.From(e)).ToList());
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Get(string engineId, ILinkisClient linkis, CancellationToken cancellationToken) =>
        await linkis.GetAsync(engineId, cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<ExecuteResponse>, ProblemHttpResult>> Execute(
        string engineId, HttpRequest request, ILinkisClient linkis, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await LinkisProblems.ReadBodyAsync<ExecuteBody>(request, json.Value.SerializerOptions);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Code is null)
        {
            return LinkisProblems.Invalid("code", "is required, e.g. {\"code\":\"echo hello\"}");
        }

        var timeout = body.TimeoutSeconds ?? DefaultExecuteTimeoutSeconds;
        if (timeout is < 1 or > 3600)
        {
            return LinkisProblems.Invalid("timeoutSeconds", $"{timeout} is out of range; it must be between 1 and 3600");
        }

        var result = await linkis.ExecuteAsync(engineId, new ExecuteRequest(body.Code, TimeSpan.FromSeconds(timeout)), cancellationToken);
        return result.Error is { } error
            ? LinkisProblems.From(error)
            : TypedResults.Ok(new ExecuteResponse(result.ExitCode, result.Stdout, result.Stderr, result.TimedOut, result.Truncated));
    }

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Kill(
        string engineId, ILinkisClient linkis, string? by, CancellationToken cancellationToken) =>
        await linkis.KillAsync(engineId, string.IsNullOrWhiteSpace(by) ? "api" : by, cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<EngineResponse>, ProblemHttpResult>> Unlock(
        string engineId, ILinkisClient linkis, string? by, CancellationToken cancellationToken) =>
        await linkis.UnlockAsync(engineId, string.IsNullOrWhiteSpace(by) ? "api" : by, cancellationToken) is { } engine
            ? TypedResults.Ok(EngineResponse.From(engine))
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<LogResponse>, ProblemHttpResult>> Log(
        string engineId, ILinkisClient linkis, string? stream, int? tail, CancellationToken cancellationToken)
    {
        stream ??= "stdout";
        if (stream is not ("stdout" or "stderr"))
        {
            return LinkisProblems.Invalid("stream", $"'{stream}' is not a log stream; use stdout or stderr");
        }

        var lines = tail ?? 200;
        if (lines is < 1 or > 10000)
        {
            return LinkisProblems.Invalid("tail", $"{lines} is out of range; it must be between 1 and 10000");
        }

        var log = await linkis.ReadLogAsync(engineId, stream, lines, cancellationToken);
        return log.Error is { } error ? LinkisProblems.From(error) : TypedResults.Ok(new LogResponse(log.EngineId, log.Stream, log.Lines));
    }
}
