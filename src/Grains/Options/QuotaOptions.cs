using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// What each user-creator may book. Section <c>Linkis:Quotas</c>: the default quota of all of a user-creator's engines,
/// and <see cref="Limits"/>, quotas for user-creator patterns, of all engine types or of one. A quota set over the API
/// (<c>PUT /api/v1/quotas/{userCreator}</c>) wins over both.
/// </summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Linkis:Quotas";

    public long DefaultMemory { get; set; } = 64L << 30;

    public decimal DefaultCores { get; set; } = 32;

    public int DefaultInstances { get; set; } = 20;

    /// <summary>Quotas by user-creator pattern (<c>bob-ETL</c>, <c>bob-*</c>, <c>*-ETL</c>, <c>*</c>); the most specific wins.</summary>
    public List<QuotaEntry> Limits { get; set; } = [];

    public ResourceVector Default => ResourceVector.FromCores(DefaultMemory, DefaultCores, DefaultInstances);

    /// <summary>The configured quota of <paramref name="userCreator"/> for <paramref name="engineType"/> (null: all types), if any.</summary>
    public QuotaValues? Configured(UserCreatorLabel userCreator, string? engineType)
    {
        foreach (var pattern in UserCreatorPatterns.Matching(userCreator))
        {
            var entry = Limits.FirstOrDefault(e => e.UserCreator == pattern && e.EngineType == engineType);
            if (entry is not null)
            {
                return entry.ToValues();
            }
        }

        return null;
    }

    /// <summary>The engine types some configured quota limits on their own.</summary>
    public IEnumerable<string> ConfiguredEngineTypes => Limits.Select(e => e.EngineType).OfType<string>().Distinct(StringComparer.Ordinal);
}

/// <summary>One configured quota: <c>{ "UserCreator": "bob-ETL", "EngineType": "shell-1", "Memory": "8g", "Cores": 4, "Instances": 3 }</c>.</summary>
public sealed class QuotaEntry
{
    public string UserCreator { get; set; } = "";

    /// <summary>Null: the quota of all the user-creator's engines together.</summary>
    public string? EngineType { get; set; }

    /// <summary>A size, e.g. <c>8g</c>; null: not limited by this entry.</summary>
    public string? Memory { get; set; }

    public decimal? Cores { get; set; }

    public long? Instances { get; set; }

    /// <summary>The entry's values; only called on validated options, whose memory parses.</summary>
    public QuotaValues ToValues() =>
        new(Memory is null ? null : Quantities.TryParseBytes(Memory, out var bytes, out _) ? bytes : null, Cores, Instances);
}
