namespace Linkis.Orleans.Abstractions.Ledger;

/// <summary>
/// One resource ledger (Linkis' RM), keyed by a canonical label key (see <see cref="LedgerKeys"/>), as a client reads
/// it. Booking (lock, confirm, release) is the cluster's own business.
/// </summary>
[Alias("Linkis.IResourceLedgerGrain")]
public interface IResourceLedgerGrain : IGrainWithStringKey
{
    [Alias("GetSnapshot")]
    Task<LedgerSnapshot> GetSnapshot();
}
