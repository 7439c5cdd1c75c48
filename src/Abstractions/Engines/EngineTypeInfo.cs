using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>An installed engine plugin: its type label, what it runs, and the resources an engine takes by default.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.EngineTypeInfo")]
public sealed record EngineTypeInfo(
    [property: Id(0)] string EngineType,
    [property: Id(1)] string Type,
    [property: Id(2)] string Version,
    [property: Id(3)] string Description,
    [property: Id(4)] ResourceVector DefaultResources,
    [property: Id(5)] IReadOnlyList<string> Properties);
