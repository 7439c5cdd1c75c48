using Linkis.Orleans.Abstractions.Events;

namespace Linkis.Orleans.Grains.Events;

/// <summary>
/// Code in the silo that reacts to the cluster's lifecycle (the seed's listener bus): registered in DI, it is told each
/// event of the whole cluster, in order, from the silo's start. A listener that throws is logged and told the next.
/// </summary>
public interface ILinkisEventListener
{
    Task OnEventAsync(LinkisEvent e, CancellationToken cancellationToken);
}
