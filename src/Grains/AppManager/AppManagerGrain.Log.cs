namespace Linkis.Orleans.Grains.AppManager;

public sealed partial class AppManagerGrain
{
    [LoggerMessage(EventId = 1000, EventName = "AskStartCallFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: a call about its start failed; the engine is ended and its tickets released, or left to lapse")]
    private partial void LogStartCallFailed(Exception exception, string engineId);

    [LoggerMessage(EventId = 1002, EventName = "AskUnavailable", Level = LogLevel.Warning,
        Message = "An ask failed because the cluster or its storage is out of reach")]
    private partial void LogAskUnavailable(Exception exception);

    [LoggerMessage(EventId = 1003, EventName = "AskRefusedUser", Level = LogLevel.Warning,
        Message = "Ask refused before anything was booked: engines may not run as {User} (asked by {RequestedBy}): {Rule}")]
    private partial void LogAskRefused(string user, string requestedBy, string rule);

    [LoggerMessage(EventId = 1004, EventName = "AskStartRetried", Level = LogLevel.Warning,
        Message = "Engine {EngineId} failed to start on node {Node}, so the ask tries once more elsewhere as engine {RetryEngineId}: {Error}")]
    private partial void LogStartRetried(string engineId, string node, string retryEngineId, string error);

    [LoggerMessage(EventId = 1010, EventName = "AskDefaultsRefused", Level = LogLevel.Warning,
        Message = "An ask of {PoolKey} is not valid with the defaults that apply to it: {Problems}")]
    private partial void LogDefaultsRefused(string poolKey, string problems);
}
