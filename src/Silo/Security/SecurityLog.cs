namespace Linkis.Orleans.Silo.Security;

/// <summary>The authentication's log lines, with their event ids.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 2200, EventName = "AuthenticationModes", Level = LogLevel.Information,
        Message = "HTTP API authentication: {Modes}; {KeyCount} API key(s); /metrics and /dashboard {Metrics}")]
    public static partial void Modes(ILogger logger, string modes, int keyCount, string metrics);

    [LoggerMessage(EventId = 2201, EventName = "AnonymousNetwork", Level = LogLevel.Warning,
        Message = "Linkis:Security:Authentication is None and Linkis:Security:AllowAnonymousNetwork is true: every caller that reaches {Urls} is an admin")]
    public static partial void AnonymousNetwork(ILogger logger, string urls);

    [LoggerMessage(EventId = 2202, EventName = "ApiKeyRefused", Level = LogLevel.Information,
        Message = "An API key from {RemoteAddress} was refused: no configured key has its hash")]
    public static partial void ApiKeyRefused(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 2203, EventName = "BearerTokenRefused", Level = LogLevel.Information,
        Message = "A bearer token from {RemoteAddress} was refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string remoteAddress, string reason);
}
