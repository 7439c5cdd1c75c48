namespace Linkis.Orleans.Grains.Nodes.Watch;

internal sealed partial class NodeLossWatcher
{
    [LoggerMessage(EventId = 1710, EventName = "NodeLossNotDelivered", Level = LogLevel.Warning,
        Message = "The death of node {Node}'s silo {Silo} could not be told to its watch yet: {Error}")]
    private partial void LogTellFailed(string node, string silo, string error);
}
