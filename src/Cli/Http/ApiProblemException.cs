using System.Net;

namespace Linkis.Orleans.Cli.Http;

/// <summary>The server refused or failed the request (exit code 1).</summary>
public sealed class ApiProblemException(HttpStatusCode status, ProblemDetails? problem, string body, TimeSpan? retryAfter, string? hint = null)
    : Exception(problem?.Detail ?? problem?.Title ?? $"the server answered {(int)status} {status}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>Null when the body was not a problem (a proxy's error page, say).</summary>
    public ProblemDetails? Problem { get; } = problem;

    public string Body { get; } = body;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>What the CLI knows that the server does not, e.g. that no API key was sent.</summary>
    public string? Hint { get; } = hint;
}
