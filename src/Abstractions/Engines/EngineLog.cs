namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>The end of one of an engine's log files.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineLog")]
public sealed record EngineLog(
    [property: Id(0)] string EngineId,
    [property: Id(1)] string Stream,
    [property: Id(2)] IReadOnlyList<string> Lines,
    [property: Id(3)] LinkisError? Error = null);
