using Linkis.Orleans.Abstractions.Engines;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>An installed engine plugin.</summary>
public sealed record EngineTypeResponse
{
    /// <summary>The <c>engineType</c> label that asks for it, e.g. <c>shell-1</c>.</summary>
    public required string EngineType { get; init; }

    public required string Type { get; init; }

    public required string Version { get; init; }

    public required string Description { get; init; }

    public required ResourcesResponse DefaultResources { get; init; }

    /// <summary>The properties an ask may set for it.</summary>
    public required IReadOnlyList<string> Properties { get; init; }

    public static EngineTypeResponse From(EngineTypeInfo t) => new()
    {
        EngineType = t.EngineType,
        Type = t.Type,
        Version = t.Version,
        Description = t.Description,
        DefaultResources = ResourcesResponse.From(t.DefaultResources),
        Properties = t.Properties,
    };
}
