namespace Linkis.Orleans.Grains.Events;

internal sealed partial class EventPublisher
{
    [LoggerMessage(EventId = 2403, EventName = "EventsDropped", Level = LogLevel.Warning,
        Message = "{Count} events could not be given to the event log ({Why}); they are dropped")]
    private partial void LogDropped(int count, string why);
}
