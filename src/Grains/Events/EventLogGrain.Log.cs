namespace Linkis.Orleans.Grains.Events;

public sealed partial class EventLogGrain
{
    [LoggerMessage(EventId = 2404, EventName = "EventStreamFailed", Level = LogLevel.Warning,
        Message = "{Count} events are in the log but could not be sent on its Orleans stream")]
    private partial void LogStreamFailed(Exception exception, int count);
}
