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
    /// <summary>The key of <see cref="Quotas"/> for the quota of all engine types.</summary>
    public const string AllEngineTypes = "*";

    /// <summary>A node's capacity, set by its node manager; null until set, and for a user-creator's ledger.</summary>
    [Id(0)] public ResourceVector? Max { get; init; }

    [Id(1)] public ImmutableDictionary<string, LedgerTicket> Tickets { get; init; } = ImmutableDictionary<string, LedgerTicket>.Empty;

    /// <summary>Whether the expiry reminder is registered, so it is registered once, not on every lock.</summary>
    [Id(2)] public bool ExpiryReminderRegistered { get; init; }

    /// <summary>A user-creator's quotas set over the API, by engine type (<see cref="AllEngineTypes"/> for all).</summary>
    [Id(3)] public ImmutableDictionary<string, QuotaValues> Quotas { get; init; } = ImmutableDictionary<string, QuotaValues>.Empty;

    public ResourceVector Sum(TicketState state) =>
        Tickets.Values.Where(t => t.State == state).Aggregate(ResourceVector.Zero, (total, t) => total.Add(t.Resource));
}
