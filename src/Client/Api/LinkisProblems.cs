using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linkis.Orleans.Client.Api;

/// <summary>
/// RFC 7807 problem responses for every error the API returns: one shape (<see cref="OpenApi.ProblemSchema"/>) with
/// <c>errors</c> for bad input, <c>logTail</c> for a start that failed, <c>quota</c> for a quota that refused an ask,
/// <c>waitedSeconds</c> for an ask that waited in its queue for room, and
/// the <c>traceId</c> of the request.
/// </summary>
public static class LinkisProblems
{
    public const string Errors = "errors";
    public const string LogTail = "logTail";
    public const string Quota = "quota";
    public const string WaitedSeconds = "waitedSeconds";

    public static int StatusCode(LinkisErrorKind kind) => kind switch
    {
        LinkisErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        LinkisErrorKind.NotFound => StatusCodes.Status404NotFound,
        LinkisErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        LinkisErrorKind.Conflict => StatusCodes.Status409Conflict,
        LinkisErrorKind.QuotaExceeded => StatusCodes.Status429TooManyRequests,
        LinkisErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        LinkisErrorKind.StartFailed => StatusCodes.Status502BadGateway,
        LinkisErrorKind.Timeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemHttpResult From(LinkisError error)
    {
        var extensions = new Dictionary<string, object?>();
        if (error.Errors is { Count: > 0 } errors)
        {
            extensions[Errors] = ErrorList(errors);
        }

        if (error.LogTail is { Count: > 0 } tail)
        {
            extensions[LogTail] = tail;
        }

        if (error.Quota is { } quota)
        {
            extensions[Quota] = Models.QuotaLimitResponse.From(quota);
        }

        if (error.WaitedSeconds is { } waited)
        {
            extensions[WaitedSeconds] = waited;
        }

        return TypedResults.Problem(error.Detail, statusCode: StatusCode(error.Kind), title: error.Title, extensions: extensions);
    }

    public static ProblemHttpResult EngineNotFound(string engineId) => From(LinkisError.EngineNotFound(engineId));

    /// <summary>A 413 when <paramref name="code"/> is longer than an execution takes; null when it fits.</summary>
    public static ProblemHttpResult? CodeTooLong(string code) =>
        code.Length > ServiceLimits.MaxCodeLength
            ? TooLarge("code", $"is {code.Length} characters long; an execution takes at most {ServiceLimits.MaxCodeLength}")
            : null;

    /// <summary>A 413 naming the field that is over its limit, and the limit.</summary>
    public static ProblemHttpResult TooLarge(string field, string message) =>
        TypedResults.Problem($"{field}: {message}", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large",
            extensions: new Dictionary<string, object?> { [Errors] = ErrorList([new ValidationError(field, message)]) });

    /// <summary>Tells the client of a 503 when to try again.</summary>
    public static void AddRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = ((int)TransientFailures.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <c>errors</c> member: one <c>{field, message}</c> per problem.</summary>
    public static List<Dictionary<string, string>> ErrorList(IEnumerable<ValidationError> errors) =>
        [.. errors.Select(e => new Dictionary<string, string> { ["field"] = e.Field, ["message"] = e.Message })];
}
