using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes.Watch;

/// <summary>A node watch's persistent state: written when an engine is tracked or untracked, and on every transition.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeWatchState")]
public sealed record NodeWatchState
{
    /// <summary>Engines launched (or about to be) on the node and not yet settled.</summary>
    [Id(0)] public ImmutableSortedSet<string> Engines { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    [Id(1)] public NodeAdmission Admission { get; init; } = NodeAdmission.Open;

    /// <summary>The silo (parsable address) of the node manager's latest activation.</summary>
    [Id(2)] public string? Silo { get; init; }

    /// <summary>When membership declared <see cref="Silo"/> dead; null while it lives.</summary>
    [Id(3)] public DateTimeOffset? LostSince { get; init; }

    /// <summary>The grace passed without the node coming back: its engines were told to end.</summary>
    [Id(4)] public bool GaveUp { get; init; }
}
