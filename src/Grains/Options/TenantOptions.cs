using Linkis.Orleans.Abstractions.Labels;
using Microsoft.Extensions.Configuration;

namespace Linkis.Orleans.Grains.Options;

/// <summary>
/// Which tenant each user-creator belongs to (Linkis' tenant routing): section <c>Linkis:Tenants</c>, one key per
/// user-creator pattern — <c>alice-IDE</c>, <c>alice-*</c>, <c>*-ETL</c> or <c>*</c> — whose value is the tenant. An
/// engine of a tenant runs only on nodes labelled <c>tenant=&lt;it&gt;</c>, and such nodes run only that tenant's.
/// </summary>
public sealed class TenantOptions
{
    public const string SectionName = "Linkis:Tenants";

    public Dictionary<string, string> Map { get; set; } = new(StringComparer.Ordinal);

    public static void Bind(TenantOptions options, IConfiguration section)
    {
        foreach (var child in section.GetChildren())
        {
            options.Map[child.Key] = child.Value ?? "";
        }
    }

    /// <summary>
    /// The tenant of a user-creator: an exact pattern first, then <c>user-*</c>, then <c>*-creator</c>, then <c>*</c>;
    /// null when none matches.
    /// </summary>
    public string? TenantOf(UserCreatorLabel userCreator)
    {
        foreach (var pattern in UserCreatorPatterns.Matching(userCreator))
        {
            if (Map.TryGetValue(pattern, out var tenant))
            {
                return tenant;
            }
        }

        return null;
    }
}
