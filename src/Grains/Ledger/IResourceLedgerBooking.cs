using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>
/// Booking on a ledger (the same activation as its <see cref="IResourceLedgerGrain"/>). Reservations are tickets:
/// locked while an engine starts, confirmed (used) once it is up, released when it ends. Every operation is
/// idempotent by ticket id.
/// </summary>
[Alias("Linkis.IResourceLedgerBooking")]
public interface IResourceLedgerBooking : IGrainWithStringKey
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
}
