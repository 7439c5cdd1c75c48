namespace Linkis.Orleans.Grains.Nodes.Watch;

public sealed partial class NodeWatchGrain
{
    [LoggerMessage(EventId = 1700, EventName = "NodeLost", Level = LogLevel.Warning,
        Message = "Node {Node} is lost: membership declared its silo {Silo} dead; its {Engines} engines are Unreachable for up to {GraceSeconds} s")]
    private partial void LogNodeLost(string node, string silo, int engines, double graceSeconds);

    [LoggerMessage(EventId = 1701, EventName = "NodeBack", Level = LogLevel.Information,
        Message = "Node {Node} is back on silo {Silo} after {LostSeconds:0.0} s lost (given up on: {GaveUp})")]
    private partial void LogNodeBack(string node, string silo, double lostSeconds, bool gaveUp);

    [LoggerMessage(EventId = 1702, EventName = "NodeGivenUp", Level = LogLevel.Warning,
        Message = "Node {Node} did not come back within its grace ({LostSeconds:0} s lost): its {Engines} engines end NodeLost")]
    private partial void LogGaveUp(string node, int engines, double lostSeconds);

    [LoggerMessage(EventId = 1703, EventName = "NodeAdmissionChanged", Level = LogLevel.Information,
        Message = "Node {Node}: eligible {Eligible}, draining {Draining} (by {By})")]
    private partial void LogAdmissionChanged(string node, bool eligible, bool draining, string by);

    [LoggerMessage(EventId = 1704, EventName = "NodeDrainStarted", Level = LogLevel.Information,
        Message = "Node {Node} drain started by {By}: deadline in {DeadlineSeconds} s, {Engines} engines to retire")]
    private partial void LogDrainStarted(string node, string by, double deadlineSeconds, int engines);

    [LoggerMessage(EventId = 1705, EventName = "NodeDrainComplete", Level = LogLevel.Information,
        Message = "Node {Node} drain complete after {Seconds:0.0} s: no engine left")]
    private partial void LogDrainComplete(string node, double seconds);

    [LoggerMessage(EventId = 1706, EventName = "NodeDrainEnded", Level = LogLevel.Information,
        Message = "Node {Node} drain ended by {By} with {Engines} engines left")]
    private partial void LogDrainEnded(string node, string by, int engines);

    [LoggerMessage(EventId = 1707, EventName = "NodeWatchTellFailed", Level = LogLevel.Warning,
        Message = "Node {Node}: engine {EngineId} could not be told about its node, will be told again: {Error}")]
    private partial void LogTellFailed(string node, string engineId, string error);

    [LoggerMessage(EventId = 1711, EventName = "NodeLostTellRetried", Level = LogLevel.Information,
        Message = "Node {Node} is lost, but its engines cannot be listed yet ({Error}); trying again in a second")]
    private partial void LogTellLostRetried(string node, string error);

    [LoggerMessage(EventId = 1712, EventName = "NodeAdmissionNotHeard", Level = LogLevel.Information,
        Message = "Node {Node}'s manager did not take its new admission now ({Error}); it hears it when it activates")]
    private partial void LogAdmissionNotHeard(string node, string error);
}
