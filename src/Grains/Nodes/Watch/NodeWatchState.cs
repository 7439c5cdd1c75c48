using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes.Watch;

/// <summary>A node watch's persistent state, written on every transition (never per engine: the node's ledger says which engines it has).</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeWatchState")]
public sealed record NodeWatchState
{
    // Id(0) was the set of the node's engines, now read from the node's ledger; rows that still carry it read fine.
    [Id(1)] public NodeAdmission Admission { get; init; } = NodeAdmission.Open;

    /// <summary>The silo (parsable address) of the node manager's latest activation.</summary>
    [Id(2)] public string? Silo { get; init; }

    /// <summary>When membership declared <see cref="Silo"/> dead; null while it lives.</summary>
    [Id(3)] public DateTimeOffset? LostSince { get; init; }

    /// <summary>The grace passed without the node coming back: its engines were told to end.</summary>
    [Id(4)] public bool GaveUp { get; init; }
}
