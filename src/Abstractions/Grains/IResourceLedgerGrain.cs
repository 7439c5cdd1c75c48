using Linkis.Orleans.Ledger;
using Linkis.Orleans.Resources;

namespace Linkis.Orleans.Grains;

/// <summary>
/// One resource ledger (Linkis' RM), keyed by a canonical label key (see <see cref="LedgerKeys"/>).
/// Reservations are tickets: locked while an engine starts, confirmed (used) once it is up, released when it ends.
/// Every operation is idempotent by ticket id.
/// </summary>
[Alias("Linkis.IResourceLedgerGrain")]
public interface IResourceLedgerGrain : IGrainWithStringKey
{
    /// <summary>Checks and locks atomically; a lock never confirmed is released after <paramref name="ttl"/>.</summary>
    [Alias("TryLock")]
    Task<LockResult> TryLock(string ticket, ResourceVector resource, TimeSpan ttl);

    /// <summary>Moves a ticket from locked to used; false when the ticket is unknown (expired or released).</summary>
    [Alias("Confirm")]
    Task<bool> Confirm(string ticket);

    [Alias("Release")]
    Task Release(string ticket);

    [Alias("SetMax")]
    Task SetMax(ResourceVector max);

    [Alias("GetSnapshot")]
    Task<LedgerSnapshot> GetSnapshot();
}

/// <summary>The keys of all ledgers that have been used (key 0), for listing.</summary>
[Alias("Linkis.ILedgerDirectoryGrain")]
public interface ILedgerDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task Register(string ledgerKey);

    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
