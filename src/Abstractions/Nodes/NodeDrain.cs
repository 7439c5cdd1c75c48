namespace Linkis.Orleans.Abstractions.Nodes;

/// <summary>A drain an admin started on a node: since when, and when its busy engines are stopped whatever they are doing.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.NodeDrain")]
public sealed record NodeDrain(
    [property: Id(0)] DateTimeOffset StartedAt,
    [property: Id(1)] DateTimeOffset Deadline,
    [property: Id(2)] string By);
