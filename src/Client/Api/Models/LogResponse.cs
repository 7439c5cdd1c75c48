namespace Linkis.Orleans.Client.Api.Models;

/// <summary>The end of one of an engine's log files.</summary>
public sealed record LogResponse
{
    public required string EngineId { get; init; }

    public required string Stream { get; init; }

    public required IReadOnlyList<string> Lines { get; init; }
}
