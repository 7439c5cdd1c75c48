using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Abstractions.Labels;

/// <summary>The parsed labels of an ask: the two it must carry and the ones that narrow node choice.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LabelSet")]
public sealed record LabelSet(
    [property: Id(0)] UserCreatorLabel UserCreator,
    [property: Id(1)] EngineTypeLabel EngineType,
    [property: Id(2)] string? Node = null)
{
    /// <summary>The tenant the engine belongs to: asked, or given by the user-creator's mapping (<c>Linkis:Tenants</c>).</summary>
    [Id(3)] public string? Tenant { get; init; }

    /// <summary>Node labels the ask requires, each with exactly this value (<c>zone=b</c>).</summary>
    [Id(4)] public ImmutableSortedDictionary<string, string> Constraints { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Only engines started for this subdomain are handed to the ask, and its engine serves only asks for it.</summary>
    [Id(5)] public string? Subdomain { get; init; }

    /// <summary>The key of the engine pool: <c>userCreator=alice-IDE,engineType=shell-1</c>, then <c>,subdomain=…</c> when it has one.</summary>
    public string PoolKey => Subdomain is null
        ? LedgerKeys.ForUser(UserCreator, EngineType)
        : $"{LedgerKeys.ForUser(UserCreator, EngineType)},{LabelKeys.Subdomain}={Subdomain}";

    /// <summary>The key of the user-creator's ledger, which holds its quota: <c>userCreator=alice-IDE</c>.</summary>
    public string LedgerKey => LedgerKeys.ForUserCreator(UserCreator);

    /// <summary>Whether the ask narrows which nodes may run it, so an engine elsewhere may not be reused for it.</summary>
    public bool NarrowsNodes => Node is not null || Tenant is not null || !Constraints.IsEmpty;
}
