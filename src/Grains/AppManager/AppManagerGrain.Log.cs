namespace Linkis.Orleans.AppManager;

public sealed partial class AppManagerGrain
{
    [LoggerMessage(EventId = 1000, EventName = "AskStartCallFailed", Level = LogLevel.Warning,
        Message = "Engine {EngineId}: the start call failed, its tickets were released: {Error}")]
    private partial void LogStartCallFailed(string engineId, string error);

    [LoggerMessage(EventId = 1002, EventName = "AskUnavailable", Level = LogLevel.Warning,
        Message = "An ask failed because the cluster or its storage is out of reach: {Error}")]
    private partial void LogAskUnavailable(string error);
}
