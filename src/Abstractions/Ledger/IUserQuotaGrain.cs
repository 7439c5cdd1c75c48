namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>
/// A user-creator's quota, kept by its ledger (key <see cref="LedgerKeys.ForUserCreator"/>), so a quota change and the
/// next booking are ordered: a lowered quota stops nothing that runs, and refuses what would go over it.
/// </summary>
[Alias("Linkis.IUserQuotaGrain")]
public interface IUserQuotaGrain : IGrainWithStringKey
{
    [Alias("GetQuota")]
    Task<QuotaSnapshot> GetQuota();

    /// <summary>Sets the quota of all engine types (<paramref name="engineType"/> null) or of one type; saved before it answers.</summary>
    [Alias("SetQuota")]
    Task<QuotaSnapshot> SetQuota(string? engineType, QuotaValues values);

    /// <summary>Deletes the quota set over the API: the configured quota, or the default, applies again.</summary>
    [Alias("ClearQuota")]
    Task<QuotaSnapshot> ClearQuota(string? engineType);
}
