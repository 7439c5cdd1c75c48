using System.Collections.Immutable;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>One node's round of pongs for the engine grains of one silo: each of the engines answered a ping sent at <see cref="At"/>.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.HeartbeatBatch")]
public sealed record HeartbeatBatch(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] ImmutableArray<string> EngineIds);
