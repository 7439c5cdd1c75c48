using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>Where a quota's limit comes from.</summary>
public enum QuotaSource
{
    /// <summary><c>Linkis:Quotas:DefaultMemory</c>, <c>DefaultCores</c>, <c>DefaultInstances</c>: no quota names the user-creator.</summary>
    Default,

    /// <summary>An entry of <c>Linkis:Quotas:Limits</c>.</summary>
    Configuration,

    /// <summary>Set with <c>PUT /api/v1/quotas/{userCreator}</c>; stays until it is deleted.</summary>
    Api,
}

/// <summary>
/// What a quota limits. Null parts are not limited by it: for the quota of all engine types they are the default's, for
/// a quota of one engine type they are only limited by the quota of all types.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.QuotaValues")]
public sealed record QuotaValues(
    [property: Id(0)] long? Memory = null,
    [property: Id(1)] decimal? Cores = null,
    [property: Id(2)] long? Instances = null)
{
    /// <summary>These values, with <paramref name="fallback"/>'s where these have none.</summary>
    public ResourceVector Over(ResourceVector fallback) => ResourceVector.FromCores(
        Memory ?? fallback.Memory, Cores ?? fallback.Cores, Instances ?? fallback.Instances);
}

/// <summary>One limit of a user-creator's quota, and what its engines hold under it now.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.QuotaLimit")]
public sealed record QuotaLimit(
    [property: Id(0)] string UserCreator,
    [property: Id(1)] string? EngineType,
    [property: Id(2)] ResourceVector Max,
    [property: Id(3)] QuotaSource Source,
    [property: Id(4)] ResourceVector Used,
    [property: Id(5)] IReadOnlyList<string> Engines)
{
    /// <summary>How a person would name it: <c>the quota of bob-ETL</c>, <c>the shell-1 quota of bob-ETL</c>.</summary>
    public string Name => EngineType is null ? $"the quota of {UserCreator}" : $"the {EngineType} quota of {UserCreator}";
}

/// <summary>
/// A user-creator's quota: the limit of all its engines together, and the limits of some engine types. Used counts
/// what is booked, both confirmed (running engines) and locked (engines starting).
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.QuotaSnapshot")]
public sealed record QuotaSnapshot(
    [property: Id(0)] string UserCreator,
    [property: Id(1)] QuotaLimit All,
    [property: Id(2)] IReadOnlyList<QuotaLimit> EngineTypes);
