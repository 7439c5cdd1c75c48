using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// How a start ended: the engine (Idle when it is ready), or the error its asker gets — classified by cause: a start
/// that really failed (with the engine's log tail), one that timed out, or one the cluster could not complete.
/// <see cref="NodeFault"/>: the failure was the node's (it refused or failed the launch, or its host never got ready),
/// so the same ask may well start on another node.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.StartResult")]
public sealed record StartResult(
    [property: Id(0)] EngineInfo Engine,
    [property: Id(1)] LinkisError? Error,
    [property: Id(2)] bool NodeFault = false);
