using System.Collections.Immutable;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>
/// A ledger's persistent state. Used and locked totals are not stored: they are sums over the tickets, so they can
/// never drift from the reservations that make them up.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.LedgerState")]
public sealed record LedgerState
{
    /// <summary>Null until set: then the default for the ledger's kind applies.</summary>
    [Id(0)] public ResourceVector? Max { get; init; }

    [Id(1)] public ImmutableDictionary<string, LedgerTicket> Tickets { get; init; } = ImmutableDictionary<string, LedgerTicket>.Empty;

    /// <summary>Whether the expiry reminder is registered, so it is registered once, not on every lock.</summary>
    [Id(2)] public bool ExpiryReminderRegistered { get; init; }

    public ResourceVector Sum(TicketState state) =>
        Tickets.Values.Where(t => t.State == state).Aggregate(ResourceVector.Zero, (total, t) => total.Add(t.Resource));
}
