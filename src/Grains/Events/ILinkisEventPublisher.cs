using Linkis.Orleans.Abstractions.Events;

namespace Linkis.Orleans.Grains.Events;

/// <summary>Where a grain tells the event log of what happened; it does not wait, and a lost event stops nothing.</summary>
public interface ILinkisEventPublisher
{
    void Publish(LinkisEvent e);
}
