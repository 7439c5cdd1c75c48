using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// What no handler answered becomes a problem classified by its cause, and never carries a stack trace: a request the
/// framework could not read (malformed JSON, a parameter of the wrong type, a body over the limit, the wrong media
/// type) is a 4xx naming what was wrong; the cluster out of reach is a 503 with <c>Retry-After</c>; anything else is
/// a 500 that says only that it was logged, with the <c>traceId</c> to find it by.
/// </summary>
public sealed partial class LinkisExceptionHandler(
    IProblemDetailsService problems,
    ILogger<LinkisExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: there is nobody to answer.
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad, httpContext),
            _ when TransientFailures.IsTransient(exception) => Unavailable(exception, httpContext),
            _ => Unexpected(exception, httpContext),
        };
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (exception is BadHttpRequestException)
        {
            var status = httpContext.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            AuditFilter.WriteUnreached(httpContext, problem.Title is { } title ? $"{status} {title}" : status, "the request could not be read");
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private ProblemDetails FromBadRequest(BadHttpRequestException e, HttpContext context)
    {
        if (e.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
        {
            // Worded by ProblemShapes, as when the framework refuses such a body itself.
            return new ProblemDetails { Status = e.StatusCode };
        }

        if (e.InnerException is JsonException json)
        {
            var where = json.Path is { Length: > 1 } path ? $" at {path}" : "";
            return Invalid(StatusCodes.Status400BadRequest, "The request is not valid", "body", $"is not valid JSON for this request{where}: {json.Message}");
        }

        if (BindFailure().Match(e.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            return Invalid(StatusCodes.Status400BadRequest, "The request is not valid", name,
                $"'{bind.Groups["value"].Value}' {Expected(context, name)}");
        }

        if (e.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || e.Message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return Invalid(StatusCodes.Status400BadRequest, "The request is not valid", "body", "is missing; send a JSON object");
        }

        ApiLog.BadRequest(logger, e.StatusCode, e.Message);
        return new ProblemDetails { Status = e.StatusCode, Title = "The request cannot be taken", Detail = e.Message };
    }

    /// <summary>What a query or route parameter must be, read from the handler's own parameter: its type and range.</summary>
    private static string Expected(HttpContext context, string name)
    {
        // The middleware clears the request's endpoint before it calls handlers; the feature keeps it.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        var parameter = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name);
        var type = Nullable.GetUnderlyingType(parameter?.ParameterType ?? typeof(string)) ?? parameter?.ParameterType;
        var range = parameter?.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>();
        return type switch
        {
            { IsEnum: true } => $"is not one of {string.Join(", ", Enum.GetNames(type))}",
            _ when range is not null => $"is not a whole number between {range.Minimum} and {range.Maximum}",
            _ when type == typeof(int) || type == typeof(long) => "is not a whole number",
            _ => $"is not a valid {type?.Name ?? "value"}",
        };
    }

    private static ProblemDetails Invalid(int status, string title, string field, string message) => new()
    {
        Status = status,
        Title = title,
        Detail = $"{field}: {message}",
        Extensions = { [LinkisProblems.Errors] = LinkisProblems.ErrorList([new ValidationError(field, message)]) },
    };

    private ProblemDetails Unavailable(Exception e, HttpContext context)
    {
        ApiLog.Unavailable(logger, e, context.Request.Method, context.Request.Path);
        LinkisProblems.AddRetryAfter(context.Response);
        var error = TransientFailures.ToError(e, "The cluster cannot answer right now");
        return new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = error.Title, Detail = error.Detail };
    }

    private ProblemDetails Unexpected(Exception e, HttpContext context)
    {
        // The same id the problem's traceId carries (ProblemDetails takes the activity's id when there is one).
        ApiLog.Unexpected(logger, e, context.Request.Method, context.Request.Path, Activity.Current?.Id ?? context.TraceIdentifier);
        return new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error",
            Detail = "The server failed to answer this request; the failure is logged under this problem's traceId.",
        };
    }

    [GeneratedRegex("""parameter "(?<type>[^"]*) (?<name>[^" ]+)" from "(?<value>[^"]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();
}
