using Orleans.Runtime.Placement;

namespace Linkis.Orleans.Grains.Placement;

/// <summary>
/// Orleans' own placement hint (<see cref="IPlacementDirector.PlacementHintKey"/>, honoured by every built-in director)
/// used to activate an engine's grain on its node's silo: its calls to the node — launch, ready, execute, stop, and
/// each heartbeat — then stay in one process. Only a hint: a grain activated again later (its node lost, say) goes
/// wherever Orleans' placement puts it.
/// </summary>
internal static class NodePlacementHint
{
    /// <summary>
    /// Makes the call with a hint that the grain it activates, if any, goes on the silo of <paramref name="node"/>; the
    /// hint is gone again once the call is issued, so nothing after it carries it.
    /// </summary>
    public static Task<T> Call<T>(IClusterMembershipService membership, string node, Func<Task<T>> call)
    {
        if (membership.Newest(node) is not { } silo)
        {
            return call();
        }

        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>
    /// Drops a hint the current call came with: the request context flows into every call a grain makes, and the
    /// grains an engine calls (its user's ledger, its pool) have no business on its node; its node's ledger finds its way
    /// there by its own placement (<see cref="NodeLedgerPlacement"/>).
    /// </summary>
    public static void Drop() => RequestContext.Remove(IPlacementDirector.PlacementHintKey);
}
