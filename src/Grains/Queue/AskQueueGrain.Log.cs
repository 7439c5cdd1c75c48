namespace Linkis.Orleans.Grains.Queue;

public sealed partial class AskQueueGrain
{
    [LoggerMessage(EventId = 1800, EventName = "AskQueueWaits", Level = LogLevel.Information,
        Message = "Ask {AskId} of {UserCreator} waits for room at place {Position} of its queue: {Why}")]
    private partial void LogAskWaits(string userCreator, string askId, int position, string why);

    [LoggerMessage(EventId = 1801, EventName = "AskQueueFull", Level = LogLevel.Warning,
        Message = "The queue of {UserCreator} is full ({Count} asks wait), so ask {AskId} is answered at once")]
    private partial void LogQueueFull(string userCreator, string askId, int count);

    [LoggerMessage(EventId = 1802, EventName = "AskQueueTurnLapsed", Level = LogLevel.Warning,
        Message = "Ask {AskId} of {UserCreator} was given its turn and not heard of for {Seconds} s (its silo may be gone): it leaves the queue, and the next ask gets the turn")]
    private partial void LogTurnLapsed(string userCreator, string askId, double seconds);

    [LoggerMessage(EventId = 1803, EventName = "AskQueueAskSilent", Level = LogLevel.Warning,
        Message = "Ask {AskId} of {UserCreator} has not called its queue for {Seconds} s (its silo may be gone): it leaves the queue")]
    private partial void LogAskSilent(string userCreator, string askId, double seconds);
}
