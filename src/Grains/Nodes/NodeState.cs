using System.Collections.Immutable;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>A node manager's persistent state: the table of engine processes it launched and has not yet forgotten.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeState")]
public sealed record NodeState
{
    [Id(0)] public ImmutableDictionary<string, EngineProcessRecord> Processes { get; init; } = ImmutableDictionary<string, EngineProcessRecord>.Empty;
}
