namespace Linkis.Orleans.Cli.Models;

/// <summary>A user-creator's quotas: of all its engines, and of each engine type limited on its own.</summary>
public sealed record QuotaView(string UserCreator, QuotaLimitView? All, IReadOnlyList<QuotaLimitView>? EngineTypes);

public sealed record QuotaLimitView
{
    public string? EngineType { get; init; }
    public ResourcesView? Max { get; init; }
    public ResourcesView? Used { get; init; }
    public ResourcesView? Left { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<string>? Engines { get; init; }
}
