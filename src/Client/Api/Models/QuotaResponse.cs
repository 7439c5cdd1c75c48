using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>A user-creator's quota: the limit of all its engines together and the limits of some engine types.</summary>
public sealed record QuotaResponse
{
    public required string UserCreator { get; init; }

    /// <summary>The quota of all the user-creator's engines together.</summary>
    public required QuotaLimitResponse All { get; init; }

    /// <summary>The engine types limited on their own (within the quota of all types).</summary>
    public required IReadOnlyList<QuotaLimitResponse> EngineTypes { get; init; }

    public static QuotaResponse From(QuotaSnapshot q) => new()
    {
        UserCreator = q.UserCreator,
        All = QuotaLimitResponse.From(q.All),
        EngineTypes = [.. q.EngineTypes.Select(QuotaLimitResponse.From)],
    };
}

/// <summary>One limit of a quota: its max, where it comes from, what its engines hold (locked or running) and which they are.</summary>
public sealed record QuotaLimitResponse
{
    public required string UserCreator { get; init; }

    /// <summary>Null for the quota of all engine types.</summary>
    public string? EngineType { get; init; }

    public required ResourcesResponse Max { get; init; }

    /// <summary>What its engines hold: confirmed (running) and locked (starting).</summary>
    public required ResourcesResponse Used { get; init; }

    public required ResourcesResponse Left { get; init; }

    /// <summary><c>Default</c> (no quota names it), <c>Configuration</c> (<c>Linkis:Quotas:Limits</c>) or <c>Api</c> (set with PUT).</summary>
    public required QuotaSource Source { get; init; }

    /// <summary>The engines holding resources under it, oldest first.</summary>
    public required IReadOnlyList<string> Engines { get; init; }

    public static QuotaLimitResponse From(QuotaLimit l) => new()
    {
        UserCreator = l.UserCreator,
        EngineType = l.EngineType,
        Max = ResourcesResponse.From(l.Max),
        Used = ResourcesResponse.From(l.Used),
        Left = ResourcesResponse.From(l.Max.SubtractOrZero(l.Used)),
        Source = l.Source,
        Engines = l.Engines,
    };
}
