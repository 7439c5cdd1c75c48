using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>How ledgers make themselves listable (the same activation as <see cref="ILedgerDirectoryGrain"/>).</summary>
[Alias("Linkis.ILedgerDirectoryWriter")]
public interface ILedgerDirectoryWriter : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string ledgerKey);
}
