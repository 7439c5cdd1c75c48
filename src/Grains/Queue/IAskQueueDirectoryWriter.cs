namespace Linkis.Orleans.Grains.Queue;

/// <summary>How queues make themselves listable (the same activation as <see cref="Abstractions.Queue.IAskQueueDirectoryGrain"/>).</summary>
[Alias("Linkis.IAskQueueDirectoryWriter")]
public interface IAskQueueDirectoryWriter : IGrainWithIntegerKey
{
    [Alias("Register"), OneWay]
    Task Register(string userCreator);

    [Alias("Unregister"), OneWay]
    Task Unregister(string userCreator);
}
