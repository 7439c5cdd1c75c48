using Orleans.Placement;

namespace Linkis.Orleans.Grains.Placement;

/// <summary>
/// Places a grain only on the silo whose name (<c>SiloOptions.SiloName</c>) equals the grain's key. Used for the node
/// manager, which must live with the processes it launched.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Linkis.SiloNamePlacement")]
public sealed class SiloNamePlacement : PlacementStrategy
{
    internal static SiloNamePlacement Singleton { get; } = new();
}

/// <summary>Marks a grain class for <see cref="SiloNamePlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloNamePlacementAttribute() : PlacementAttribute(SiloNamePlacement.Singleton);
