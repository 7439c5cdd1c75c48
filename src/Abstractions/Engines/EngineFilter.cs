namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>Filter for listing engines; null parts match everything.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineFilter")]
public sealed record EngineFilter(
    [property: Id(0)] string? User = null,
    [property: Id(1)] string? EngineType = null,
    [property: Id(2)] EngineStatus? Status = null,
    [property: Id(3)] string? Node = null);
