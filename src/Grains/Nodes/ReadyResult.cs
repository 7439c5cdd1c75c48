using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>An engine host that answered its node (ready to execute), or why it never will.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.ReadyResult")]
public sealed record ReadyResult(
    [property: Id(0)] bool Ready,
    [property: Id(1)] int? Pid,
    [property: Id(2)] EndReason? Failure,
    [property: Id(3)] IReadOnlyList<string>? LogTail);
