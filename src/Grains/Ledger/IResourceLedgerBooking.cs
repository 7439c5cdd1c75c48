using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>
/// Booking on a ledger (the same activation as its <see cref="IResourceLedgerGrain"/>). Reservations are tickets:
/// locked while an engine starts, confirmed (used) once it is up, released when it ends. Every operation is
/// idempotent by ticket id, and a released ticket is not booked again.
/// </summary>
[Alias("Linkis.IResourceLedgerBooking")]
public interface IResourceLedgerBooking : IGrainWithStringKey
{
    /// <summary>
    /// Checks and locks atomically; a lock never confirmed is released after <paramref name="ttl"/>. On a user-creator's
    /// ledger the lock counts against its quota of all engine types and of <paramref name="engineType"/>.
    /// </summary>
    [Alias("TryLock")]
    Task<LockResult> TryLock(string ticket, ResourceVector resource, TimeSpan ttl, string? engineType = null);

    /// <summary>Moves a ticket from locked to used; false when the ticket is unknown (expired or released).</summary>
    [Alias("Confirm")]
    Task<bool> Confirm(string ticket);

    [Alias("Release")]
    Task Release(string ticket);

    /// <summary>
    /// Reconciliation: releases each confirmed ticket whose engine does not exist, ended more than the grace ago, or
    /// (on a node's ledger) runs on another node; returns the repairs made.
    /// </summary>
    [Alias("Reconcile")]
    Task<int> Reconcile();

    /// <summary>Reconciliation: books, confirmed, a ticket for an engine that really runs but holds none here. False when it held one.</summary>
    [Alias("Restore")]
    Task<bool> Restore(string ticket, ResourceVector resource, string? engineType, string why);

    /// <summary>A node's capacity (set by its node manager).</summary>
    [Alias("SetMax")]
    Task SetMax(ResourceVector max);
}
