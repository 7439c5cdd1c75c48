using Linkis.Orleans.Abstractions.Events;

namespace Linkis.Orleans.Grains.Events;

public static class LinkisEvents
{
    /// <summary>Tells the event log of <paramref name="e"/>; the publisher does not wait, and a lost event stops nothing.</summary>
    public static void PublishEvent(this IGrainFactory grains, LinkisEvent e) =>
        grains.GetGrain<IEventLogGrain>(0).Publish(e).Ignore();
}
