using System.Text.Json;
using Linkis.Orleans.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Linkis.Orleans.Client.Api;

/// <summary>RFC 7807 problem responses for every error the API returns.</summary>
public static class LinkisProblems
{
    public static int StatusCode(LinkisErrorKind kind) => kind switch
    {
        LinkisErrorKind.BadRequest => StatusCodes.Status400BadRequest,
        LinkisErrorKind.NotFound => StatusCodes.Status404NotFound,
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
            extensions["errors"] = errors.Select(e => new { field = e.Field, message = e.Message }).ToList();
        }

        if (error.LogTail is { Count: > 0 } tail)
        {
            extensions["logTail"] = tail;
        }

        return TypedResults.Problem(error.Detail, statusCode: StatusCode(error.Kind), title: error.Title, extensions: extensions);
    }

    public static ProblemHttpResult Invalid(string field, string message) => From(LinkisError.Invalid(field, message));

    public static ProblemHttpResult EngineNotFound(string engineId) => From(LinkisError.EngineNotFound(engineId));

    /// <summary>Reads a JSON body, or says in a problem what is wrong with it (not JSON, wrong types, unknown fields).</summary>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadBodyAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return body is null ? (null, Invalid("body", "is empty or null; send a JSON object")) : (body, null);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
            return (null, Invalid("body", $"is not valid JSON for this request{where}: {e.Message}"));
        }
    }
}
