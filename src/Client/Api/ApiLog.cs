using Microsoft.Extensions.Logging;

namespace Linkis.Orleans.Client.Api;

/// <summary>The HTTP API's log lines, with their event ids.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2000, EventName = "ApiUnavailable", Level = LogLevel.Warning,
        Message = "{Method} {Path}: the cluster or its storage is out of reach")]
    public static partial void Unavailable(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 2001, EventName = "ApiBadRequest", Level = LogLevel.Information,
        Message = "A request could not be read ({Status}): {Reason}")]
    public static partial void BadRequest(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 2003, EventName = "ApiUnexpectedError", Level = LogLevel.Error,
        Message = "{Method} {Path} failed unexpectedly (traceId {TraceId})")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method, string path, string traceId);
}
