namespace Linkis.Orleans.Grains.Hosting;

internal sealed partial class WarmPoolKeeper
{
    [LoggerMessage(EventId = 1903, EventName = "WarmPoolKeepFailed", Level = LogLevel.Warning,
        Message = "The warm pools could not be kept this round (tried again in {Seconds} s): {Reason}")]
    private partial void LogKeepFailed(double seconds, string reason);
}
