using Orleans.Placement;

namespace Linkis.Orleans.Grains.Placement;

/// <summary>
/// Activates a node's ledger (<c>node=X</c>) on X's silo, next to the node manager that reads it for every report and
/// the engines that confirm and release their tickets in it; every other ledger is placed as Orleans places grains by
/// default. A preference, not a pin: with X's silo down the ledger is activated wherever the default puts it, so a
/// lost node's engines can still release what they hold.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Linkis.NodeLedgerPlacement")]
public sealed class NodeLedgerPlacement : PlacementStrategy
{
    internal static NodeLedgerPlacement Singleton { get; } = new();
}

/// <summary>Marks the ledger grain class for <see cref="NodeLedgerPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodeLedgerPlacementAttribute() : PlacementAttribute(NodeLedgerPlacement.Singleton);
