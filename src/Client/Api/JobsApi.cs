using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// <c>/api/v1/jobs</c>: run-once jobs (Linkis' OnceEngineConn, Kyuubi's batches). A job is an engine started for one
/// execution only — never reused, never in a pool — that ends when its code does: Success after exit code 0, else
/// Failed (JobFailed, with the exit code). Its id is its engine's, so the engine and execution endpoints show it too.
/// </summary>
public static class JobsApi
{
    private static readonly TimeSpan CancelAnswerWait = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var api = app.MapApiGroup("/api/v1/jobs", "Jobs", maxBodyBytes);
        api.MapPost("/", Start).WithName("StartJob")
            .WithSummary("Start a job: an engine for it alone (booked and queued as any ask), its code submitted; answers (202) once the engine runs it")
            .Audited(AuditedOperation.Ask)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        api.MapGet("/{jobId}", Get).WithName("GetJob").WithSummary("A job: its engine and its execution")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{jobId}", Cancel).WithName("CancelJob")
            .WithSummary("Cancel the job: its execution is cancelled, and its engine ends with it (JobFailed)")
            .Audited(AuditedOperation.Cancel)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> Start(
        JobBody body, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        var code = body.Code!;
        if (LinkisProblems.CodeTooLong(code) is { } tooLong)
        {
            return tooLong;
        }

        var asked = AskBodyParser.Parse(
            new AskBody { Labels = body.Labels, Properties = body.Properties, Reuse = false, Queue = body.Queue, TimeoutSeconds = body.StartTimeoutSeconds },
            out var errors);
        if (asked is null)
        {
            return LinkisProblems.From(LinkisError.Invalid(errors));
        }

        var user = UserCreatorLabel.TryParse(asked.Labels[LabelKeys.UserCreator], out var userCreator, out _) ? userCreator.User : "";
        var caller = http.LinkisCaller();
        var entry = AuditEntry.Of(http);
        entry?.ActingUser = user;
        if (!caller.MayActAs(user))
        {
            entry?.Refusal = $"the caller may not act as {user}";
            return LinkisProblems.From(EnginesApi.NotYourUser(caller, user, asked.Labels[LabelKeys.UserCreator]!));
        }

        var started = await linkis.AskAsync(asked with { Job = true, Reuse = false, RequestedBy = caller.IsAnonymous ? null : caller.Name }, cancellationToken);
        if (started.Engine is not { } engine)
        {
            return LinkisProblems.From(started.Error!);
        }

        entry?.EngineId = engine.EngineId;
        var timeout = TimeSpan.FromSeconds(body.TimeoutSeconds ?? ServiceLimits.MaxExecuteTimeoutSeconds);
        SubmitResult submitted;
        try
        {
            // Not cut short by a caller who went away: the engine exists now, and is the job's or nobody's.
            submitted = await linkis.SubmitAsync(engine.EngineId, new ExecutionSubmit(code, timeout, caller.RecordedBy(null, "api")), CancellationToken.None);
        }
        catch
        {
            await KillUnusedAsync(linkis, engine.EngineId, caller);
            throw;
        }

        if (submitted.Execution is not { } execution)
        {
            await KillUnusedAsync(linkis, engine.EngineId, caller);
            return LinkisProblems.From(submitted.Error!);
        }

        return TypedResults.Accepted($"/api/v1/jobs/{engine.EngineId}", Response(engine, execution));
    }

    /// <summary>The engine was started for a job that never reached it: it must not be left running.</summary>
    private static Task KillUnusedAsync(ILinkisClient linkis, string engineId, LinkisCaller caller) =>
        linkis.KillAsync(engineId, caller.RecordedBy(null, "api"), CancellationToken.None);

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> Get(string jobId, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken) =>
        await JobAsync(linkis, http, jobId, cancellationToken) is var (engine, execution)
            ? TypedResults.Ok(Response(engine, execution))
            : JobNotFound(jobId);

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> Cancel(string jobId, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken)
    {
        if (await JobAsync(linkis, http, jobId, cancellationToken) is not var (engine, execution))
        {
            return JobNotFound(jobId);
        }

        if (execution.IsFinished)
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Conflict, "The job has already ended",
                $"job {jobId} ended {execution.Status}; there is nothing to cancel"));
        }

        await linkis.CancelAsync(execution.ExecutionId, http.LinkisCaller().RecordedBy(null, "api"), cancellationToken);
        var ended = await linkis.WaitForExecutionAsync(execution.ExecutionId, CancelAnswerWait, cancellationToken) ?? execution;
        return TypedResults.Ok(Response(await linkis.GetAsync(jobId, cancellationToken) ?? engine, ended));
    }

    private static async Task<(EngineInfo Engine, ExecutionInfo Execution)?> JobAsync(ILinkisClient linkis, HttpContext http, string jobId, CancellationToken cancellationToken)
    {
        if (await linkis.VisibleEngineAsync(http, jobId, cancellationToken) is not { Job: true } engine
            || await linkis.ListExecutionsAsync(jobId, cancellationToken) is not [var execution, ..])
        {
            return null;
        }

        return (engine, execution);
    }

    private static JobResponse Response(EngineInfo engine, ExecutionInfo execution) => new()
    {
        JobId = engine.EngineId,
        EngineId = engine.EngineId,
        ExecutionId = execution.ExecutionId,
        Engine = EngineResponse.From(engine),
        Execution = ExecutionResponse.From(execution),
    };

    private static ProblemHttpResult JobNotFound(string jobId) => LinkisProblems.From(new LinkisError(LinkisErrorKind.NotFound, "No such job",
        $"There is no job '{jobId}'. A job's id is the one POST /api/v1/jobs answered with."));
}
