using Orleans.Runtime.Placement;

namespace Linkis.Orleans.Grains.Placement;

/// <summary>
/// Picks the active silo whose name equals the grain key, like Orleans' own <c>SiloRoleBasedPlacementDirector</c>
/// matches role names. Placement hints are ignored on purpose: migration re-runs the director and must get the same
/// silo back. When several live entries carry the name (a restarted silo whose old entry is not yet declared dead),
/// the newest generation wins. No match → <see cref="OrleansException"/>, which Orleans retries briefly (membership lag)
/// before the call fails; the grain is never activated elsewhere.
/// </summary>
public sealed class SiloNamePlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var siloName = target.GrainIdentity.Key.ToString()!;
        var chosen = membership.Newest(siloName, context.GetCompatibleSilos(target));
        return chosen is not null
            ? Task.FromResult(chosen)
            : throw new OrleansException(
                $"Cannot place {target.GrainIdentity}: no active silo is named '{siloName}'. The node is down or not yet in the cluster; " +
                "node managers are only ever activated on their own node's silo.");
    }
}
