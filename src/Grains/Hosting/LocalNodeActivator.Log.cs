namespace Linkis.Orleans.Grains.Hosting;

internal sealed partial class LocalNodeActivator
{
    [LoggerMessage(EventId = 1001, EventName = "NodeUp", Level = LogLevel.Information,
        Message = "Node {Node} is up: capacity {Capacity}, engine host {HostKind}")]
    private partial void LogNodeUp(string node, string capacity, string hostKind);
}
