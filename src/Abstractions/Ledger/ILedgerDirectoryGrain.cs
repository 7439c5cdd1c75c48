namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>The keys of all ledgers that have been used (key 0), for listing.</summary>
[Alias("Linkis.ILedgerDirectoryGrain")]
public interface ILedgerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
