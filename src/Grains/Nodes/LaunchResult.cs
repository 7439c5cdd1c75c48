using Linkis.Orleans.Abstractions;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>A started (not yet ready) engine process, or why it could not be started.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LaunchResult")]
public sealed record LaunchResult(
    [property: Id(0)] int? Pid,
    [property: Id(1)] LinkisError? Error,
    [property: Id(2)] string? RunAs = null);
