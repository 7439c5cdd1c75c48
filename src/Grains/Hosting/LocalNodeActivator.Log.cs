namespace Linkis.Orleans.Grains.Hosting;

internal sealed partial class LocalNodeActivator
{
    [LoggerMessage(EventId = 1001, EventName = "NodeUp", Level = LogLevel.Information,
        Message = "Node {Node} is up: capacity {Capacity}, engine host {HostKind}")]
    private partial void LogNodeUp(string node, string capacity, string hostKind);

    [LoggerMessage(EventId = 1005, EventName = "NodeKeepAwakeFailed", Level = LogLevel.Warning,
        Message = "Node {Node}'s manager did not answer its silo's keep-awake call (tried again next report interval): {Reason}")]
    private partial void LogKeepAwakeFailed(string node, string reason);
}
