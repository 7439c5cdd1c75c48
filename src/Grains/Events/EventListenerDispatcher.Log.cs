namespace Linkis.Orleans.Grains.Events;

internal sealed partial class EventListenerDispatcher
{
    [LoggerMessage(EventId = 2400, EventName = "EventListenerFailed", Level = LogLevel.Warning,
        Message = "Event listener {Listener} failed on {Type} event {Sequence}; it is told the next one")]
    private partial void LogListenerFailed(Exception exception, string listener, string type, long sequence);

    [LoggerMessage(EventId = 2401, EventName = "EventLogReadFailed", Level = LogLevel.Warning,
        Message = "Reading the event log for the silo's listeners failed ({Why}); trying again")]
    private partial void LogReadFailed(string why);

    [LoggerMessage(EventId = 2402, EventName = "EventsMissed", Level = LogLevel.Warning,
        Message = "The silo's event listeners missed events after {After}: the log dropped or lost them before they were read")]
    private partial void LogMissed(long after);
}
