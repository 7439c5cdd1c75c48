namespace Linkis.Orleans.Grains.Nodes;

public sealed partial class EngineReadyNotifications
{
    [LoggerMessage(EventId = 1301, EventName = "ReadyNotifyUnavailable", Level = LogLevel.Warning,
        Message = "The node's notify socket {Path} could not be opened ({Error}); engine hosts will be polled for instead")]
    private partial void LogBindFailed(string path, string error);
}
