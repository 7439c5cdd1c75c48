namespace Linkis.Orleans.Cli.Models;

public sealed record LogView(string? EngineId, string? Stream, IReadOnlyList<string>? Lines);
