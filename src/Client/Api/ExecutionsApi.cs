using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Client.Api.Models;
using Linkis.Orleans.Client.Executions;
using Linkis.Orleans.Client.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// Executions: submit one to an engine (<c>/api/v1/engines/{id}/executions</c>), list an engine's, and under
/// <c>/api/v1/executions/{id}</c> see one, read or follow its output (Server-Sent Events), and cancel it.
/// Only who may see the engine sees its executions.
/// </summary>
public static class ExecutionsApi
{
    /// <summary>The next byte to read of the stream, after the bytes of this response.</summary>
    public const string NextOffsetHeader = "Linkis-Output-Next-Offset";

    /// <summary>The execution's status when the bytes were read.</summary>
    public const string StatusHeader = "Linkis-Execution-Status";

    /// <summary><c>true</c> once the execution has ended and the response holds the last of its stream.</summary>
    public const string CompleteHeader = "Linkis-Output-Complete";

    public const string EventStream = "text/event-stream";

    private const string Who = "on whose behalf the caller acts, for the record (default api)";

    // How long a cancel answer waits for the execution to end: past the default grace, so it shows the outcome.
    private static readonly TimeSpan CancelAnswerWait = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder app, long maxBodyBytes)
    {
        var engines = app.MapApiGroup("/api/v1/engines", "Executions", maxBodyBytes);
        engines.MapPost("/{engineId}/executions", Submit).WithName("SubmitExecution")
            .WithSummary("Queue code to run in the engine; answers at once (202) with the execution, Queued or Running")
            .Audited(AuditedOperation.Submit)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests);
        engines.MapGet("/{engineId}/executions", List).WithName("ListExecutions")
            .WithSummary("The engine's executions, oldest first: those waiting or running, and the last finished ones (Linkis:Engines:ExecutionHistory)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var executions = app.MapApiGroup("/api/v1/executions", "Executions", maxBodyBytes);
        executions.MapGet("/{executionId}", Get).WithName("GetExecution").WithSummary("One execution")
            .ProducesProblem(StatusCodes.Status404NotFound);
        executions.MapGet("/{executionId}/output", Output).WithName("GetExecutionOutput")
            .WithSummary("The execution's output: the bytes of one stream from an offset, or with Accept: text/event-stream, followed live — "
                + "an output event per piece ({stream, offset, text}), then a result event with the execution; resume with Last-Event-ID")
            .Produces<OutputEventResponse>(StatusCodes.Status200OK, EventStream)
            .WithMetadata(new OpenApi.ProducesText(StatusCodes.Status200OK))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        executions.MapPost("/{executionId}/cancel", Cancel).WithName("CancelExecution")
            .WithSummary("Cancel the execution: a waiting one is dropped, a running one interrupted (its executor restarted if it does not stop "
                + "within Linkis:Engines:CancelGrace); answers once it has ended, or with it still ending")
            .Audited(AuditedOperation.Cancel)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Accepted<ExecutionResponse>, ProblemHttpResult>> Submit(
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
        var submitted = await linkis.SubmitAsync(engineId, new ExecutionSubmit(code, timeout, http.LinkisCaller().RecordedBy(null, "api")), cancellationToken);
        if (submitted.Execution is not { } execution)
        {
            return LinkisProblems.From(submitted.Error!);
        }

        return TypedResults.Accepted($"/api/v1/executions/{execution.ExecutionId}", ExecutionResponse.From(execution));
    }

    public static async Task<Results<Ok<List<ExecutionResponse>>, ProblemHttpResult>> List(
        string engineId, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken) =>
        await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is not null
        && await linkis.ListExecutionsAsync(engineId, cancellationToken) is { } executions
            ? TypedResults.Ok(executions.Select(ExecutionResponse.From).ToList())
            : LinkisProblems.EngineNotFound(engineId);

    public static async Task<Results<Ok<ExecutionResponse>, ProblemHttpResult>> Get(
        string executionId, HttpContext http, ILinkisClient linkis, CancellationToken cancellationToken) =>
        await VisibleExecutionAsync(linkis, http, executionId, cancellationToken) is { } execution
            ? TypedResults.Ok(ExecutionResponse.From(execution))
            : ExecutionNotFound(executionId);

    public static async Task<Results<Ok<ExecutionResponse>, ProblemHttpResult>> Cancel(
        string executionId, HttpContext http, ILinkisClient linkis, [Description(Who), MaxLength(128, ErrorMessage = ApiMessages.MaxLength)] string? by,
        CancellationToken cancellationToken)
    {
        if (await VisibleExecutionAsync(linkis, http, executionId, cancellationToken) is not { } execution)
        {
            return ExecutionNotFound(executionId);
        }

        if (execution.IsFinished)
        {
            return LinkisProblems.From(new LinkisError(LinkisErrorKind.Conflict, "The execution has already ended",
                $"execution {executionId} ended {execution.Status} at {execution.EndedAt:u}; there is nothing to cancel"));
        }

        await linkis.CancelAsync(executionId, http.LinkisCaller().RecordedBy(by, "api"), cancellationToken);
        var ended = await linkis.WaitForExecutionAsync(executionId, CancelAnswerWait, cancellationToken);
        return TypedResults.Ok(ExecutionResponse.From(ended ?? execution));
    }

    public static async Task<IResult> Output(
        string executionId,
        HttpContext http,
        ILinkisClient linkis,
        [Description("stdout (default) or stderr; for Server-Sent Events, leave it out to follow both"), RegularExpression("^(stdout|stderr)$", ErrorMessage = "must be stdout or stderr")] string? stream,
        [Description("the byte of the stream to start from (default 0)"), Range(0, long.MaxValue, ErrorMessage = ApiMessages.Range)] long? offset,
        [Description("bytes to return at most (default and most 4194304)"), Range(1, ServiceLimits.MaxOutputReadBytes, ErrorMessage = ApiMessages.Range)] int? maxBytes,
        CancellationToken cancellationToken)
    {
        if (await VisibleExecutionAsync(linkis, http, executionId, cancellationToken) is null)
        {
            return ExecutionNotFound(executionId);
        }

        var wanted = stream is null ? (OutputStream?)null : Enum.Parse<OutputStream>(stream, ignoreCase: true);
        if (http.Request.Headers.Accept.Any(a => a?.Contains(EventStream, StringComparison.OrdinalIgnoreCase) == true))
        {
            if (http.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } lastEventId && !TryParseEventId(lastEventId, out _))
            {
                return LinkisProblems.From(LinkisError.Invalid("Last-Event-ID", $"'{lastEventId}' is not an event id of this stream: it is <stdout bytes>-<stderr bytes>, as the events' ids are"));
            }

            var from = TryParseEventId(http.Request.Headers["Last-Event-ID"].FirstOrDefault(), out var resumed)
                ? resumed
                : StartAt(wanted, offset ?? 0);
            return TypedResults.ServerSentEvents(Events(linkis, executionId, from, wanted, cancellationToken));
        }

        var only = wanted ?? OutputStream.Stdout;
        var start = offset ?? 0;
        var chunk = await linkis.ReadOutputAsync(executionId, StartAt(only, start), maxBytes ?? ServiceLimits.MaxOutputReadBytes, TimeSpan.Zero, cancellationToken);
        var bytes = only == OutputStream.Stdout ? chunk.Stdout : chunk.Stderr;
        var execution = chunk.Execution;
        var logged = only == OutputStream.Stdout ? execution?.StdoutBytes : execution?.StderrBytes;
        http.Response.Headers[NextOffsetHeader] = (start + bytes.Length).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[StatusHeader] = execution?.Status.ToString() ?? "";
        http.Response.Headers[CompleteHeader] = (execution is { IsFinished: true } && (start + bytes.Length >= logged || (bytes.Length == 0 && chunk.Ended))) ? "true" : "false";
        return TypedResults.Bytes(bytes, "text/plain; charset=utf-8");
    }

    /// <summary>A follower that reads one stream starts the other past its end, so only that one is read.</summary>
    private static OutputCursor StartAt(OutputStream? stream, long offset) => stream switch
    {
        OutputStream.Stdout => new OutputCursor(offset, long.MaxValue),
        OutputStream.Stderr => new OutputCursor(long.MaxValue, offset),
        _ => new OutputCursor(offset, offset),
    };

    private static async IAsyncEnumerable<SseItem<object>> Events(
        ILinkisClient linkis, string executionId, OutputCursor from, OutputStream? wanted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in linkis.WatchAsync(executionId, from, cancellationToken))
        {
            var id = EventId(e.Position);
            switch (e)
            {
                case OutputEvent output when wanted is null || output.Stream == wanted:
                    yield return new SseItem<object>(
                        new OutputEventResponse { Stream = output.Stream == OutputStream.Stdout ? "stdout" : "stderr", Offset = output.Offset, Text = output.Text },
                        "output") { EventId = id };
                    break;
                case ResultEvent result:
                    yield return new SseItem<object>(ExecutionResponse.From(result.Execution), "result") { EventId = id };
                    break;
            }
        }
    }

    /// <summary>An event's id is where a follower is after it: <c>{stdout bytes}-{stderr bytes}</c>.</summary>
    public static string EventId(OutputCursor position) =>
        $"{Format(position.Stdout)}-{Format(position.Stderr)}";

    private static string Format(long offset) => offset == long.MaxValue ? "x" : offset.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseEventId(string? id, out OutputCursor position)
    {
        position = default;
        var parts = id?.Split('-');
        if (parts is not { Length: 2 } || !TryParseOffset(parts[0], out var stdout) || !TryParseOffset(parts[1], out var stderr))
        {
            return false;
        }

        position = new OutputCursor(stdout, stderr);
        return true;
    }

    private static bool TryParseOffset(string text, out long offset)
    {
        if (text == "x")
        {
            offset = long.MaxValue;
            return true;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    /// <summary>The execution if it exists and the caller may see its engine; null otherwise (404 either way).</summary>
    private static async Task<ExecutionInfo?> VisibleExecutionAsync(ILinkisClient linkis, HttpContext http, string executionId, CancellationToken cancellationToken) =>
        ExecutionIds.TryParse(executionId, out var engineId) && await linkis.VisibleEngineAsync(http, engineId, cancellationToken) is not null
            ? await linkis.GetExecutionAsync(executionId, cancellationToken)
            : null;

    private static ProblemHttpResult ExecutionNotFound(string executionId) => LinkisProblems.From(new LinkisError(LinkisErrorKind.NotFound, "No such execution",
        $"There is no execution '{executionId}'. An engine's executions are listed by GET /api/v1/engines/{{engineId}}/executions."));
}
