using Linkis.Orleans.Abstractions.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Linkis.Orleans.Grains.Placement;

/// <summary>
/// <see cref="NodeLedgerPlacement"/>: a node ledger goes to the newest active, compatible silo named after its node;
/// any other ledger, and a node ledger whose node has no such silo, to Orleans' default director (resource-optimized).
/// </summary>
public sealed class NodeLedgerPlacementDirector(
    IClusterMembershipService membership,
    [FromKeyedServices(typeof(ResourceOptimizedPlacement))] IPlacementDirector byDefault) : IPlacementDirector
{
    private static readonly ResourceOptimizedPlacement DefaultStrategy = new();

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString()!;
        if (LedgerKeys.IsNodeKey(key) && membership.Newest(key[LedgerKeys.NodePrefix.Length..], context.GetCompatibleSilos(target)) is { } silo)
        {
            return Task.FromResult(silo);
        }

        return byDefault.OnAddActivation(DefaultStrategy, target, context);
    }
}
