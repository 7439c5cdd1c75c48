using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// A started (not yet ready) engine process, or why it could not be started. <see cref="NodeFault"/>: the cause is
/// this node's (its launch failed, or it takes no new engines), so another node may well start the same engine.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.LaunchResult")]
public sealed record LaunchResult(
    [property: Id(0)] int? Pid,
    [property: Id(1)] LinkisError? Error,
    [property: Id(2)] string? RunAs = null,
    [property: Id(3)] bool NodeFault = false);
