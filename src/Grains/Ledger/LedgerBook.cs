using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>One limit a lock must fit under: of all the ledger's tickets (engine type null), or of one engine type's.</summary>
public sealed record LedgerLimit(string? EngineType, ResourceVector Max, QuotaSource Source = QuotaSource.Default);

/// <summary>What a lock came to: granted, or the limit it would break and what falls short.</summary>
public sealed record LockDecision(bool Granted, ResourceVector Left, IReadOnlyList<string> Shortfalls, LedgerLimit? Refusing = null);

/// <summary>
/// The rules of a ledger, apart from its grain so they can be checked on their own (the ledger property tests):
/// <code>
///   TryLock ──▶ Locked ──Confirm──▶ Confirmed (used)
///                 │                     │
///                 └──Expire / Release───┴──Release──▶ released (remembered, so a late duplicate books nothing)
/// </code>
/// Every operation is idempotent by ticket. A lock is checked against every limit and taken in the same call, so two
/// locks can never both get the last of something. A released ticket is remembered (the newest
/// <see cref="RememberedReleases"/>, for the life of the activation): a lock of it that arrives late, a retry or a
/// duplicate of an ask that has already ended, books nothing — otherwise it would hold resources until its TTL for an
/// engine that will never start.
/// </summary>
public sealed class LedgerBook(LedgerState state)
{
    public const int RememberedReleases = 4096;

    private readonly HashSet<string> _released = new(StringComparer.Ordinal);
    private readonly Queue<string> _releasedInOrder = new();

    public LedgerState State { get; private set; } = state;

    /// <summary>What the tickets of <paramref name="engineType"/> (null: all tickets) hold, locked or confirmed.</summary>
    public ResourceVector Held(string? engineType) => Held(State, engineType);

    public static ResourceVector Held(LedgerState state, string? engineType) =>
        state.Tickets.Values.Where(t => engineType is null || t.EngineType == engineType)
            .Aggregate(ResourceVector.Zero, (total, t) => total.Add(t.Resource));

    /// <summary>The tickets held under a limit, oldest first.</summary>
    public IReadOnlyList<LedgerTicket> HeldBy(string? engineType) =>
        [.. State.Tickets.Values.Where(t => engineType is null || t.EngineType == engineType).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id, StringComparer.Ordinal)];

    /// <summary>Locks <paramref name="resource"/> for <paramref name="ticket"/> if it fits under every limit; <paramref name="changed"/> when the state changed.</summary>
    public LockDecision TryLock(
        string ticket, ResourceVector resource, string? engineType, DateTimeOffset now, DateTimeOffset expiresAt, IReadOnlyList<LedgerLimit> limits, out bool changed)
    {
        changed = false;
        var all = limits.FirstOrDefault(l => l.EngineType is null);
        if (State.Tickets.ContainsKey(ticket))
        {
            return new LockDecision(true, Left(all), []);
        }

        if (_released.Contains(ticket))
        {
            return new LockDecision(false, Left(all), [$"ticket {ticket} was already released: the ask it belonged to has ended"]);
        }

        foreach (var limit in limits.Where(l => l.EngineType is null || l.EngineType == engineType))
        {
            var left = limit.Max.SubtractOrZero(Held(limit.EngineType));
            if (!resource.FitsWithin(left))
            {
                return new LockDecision(false, left, resource.Shortfalls(left), limit);
            }
        }

        State = State with { Tickets = State.Tickets.SetItem(ticket, new LedgerTicket(ticket, resource, TicketState.Locked, now, expiresAt, engineType)) };
        changed = true;
        return new LockDecision(true, Left(all), []);
    }

    /// <summary>Locked → Confirmed. False when the ticket is not held (expired or released): its resources are not booked.</summary>
    public bool Confirm(string ticket, out bool changed)
    {
        changed = false;
        if (!State.Tickets.TryGetValue(ticket, out var existing))
        {
            return false;
        }

        if (existing.State == TicketState.Locked)
        {
            State = State with { Tickets = State.Tickets.SetItem(ticket, existing with { State = TicketState.Confirmed, ExpiresAt = null }) };
            changed = true;
        }

        return true;
    }

    /// <summary>Gives the ticket's resources back, once; true when it held any.</summary>
    public bool Release(string ticket)
    {
        Remember(ticket);
        if (!State.Tickets.ContainsKey(ticket))
        {
            return false;
        }

        State = State with { Tickets = State.Tickets.Remove(ticket) };
        return true;
    }

    /// <summary>Releases the locks whose TTL has passed, and returns them.</summary>
    public IReadOnlyList<LedgerTicket> Expire(DateTimeOffset now)
    {
        var expired = State.Tickets.Values.Where(t => t.State == TicketState.Locked && t.ExpiresAt <= now).ToList();
        if (expired.Count > 0)
        {
            State = State with { Tickets = State.Tickets.RemoveRange(expired.Select(t => t.Id)) };
            foreach (var ticket in expired)
            {
                Remember(ticket.Id);
            }
        }

        return expired;
    }

    /// <summary>Books a confirmed ticket for an engine found running without one, whatever the limits: it is there.</summary>
    public bool Restore(string ticket, ResourceVector resource, string? engineType, DateTimeOffset now)
    {
        if (State.Tickets.ContainsKey(ticket))
        {
            return false;
        }

        _released.Remove(ticket);
        State = State with { Tickets = State.Tickets.SetItem(ticket, new LedgerTicket(ticket, resource, TicketState.Confirmed, now, null, engineType)) };
        return true;
    }

    public bool HasLocks => State.Tickets.Values.Any(t => t.State == TicketState.Locked);

    /// <summary>Replaces the persisted part (a quota or capacity change), keeping what is remembered.</summary>
    public void Update(Func<LedgerState, LedgerState> change) => State = change(State);

    private ResourceVector Left(LedgerLimit? all) => all is null ? ResourceVector.Zero : all.Max.SubtractOrZero(Held(null));

    private void Remember(string ticket)
    {
        if (!_released.Add(ticket))
        {
            return;
        }

        _releasedInOrder.Enqueue(ticket);
        if (_releasedInOrder.Count > RememberedReleases)
        {
            _released.Remove(_releasedInOrder.Dequeue());
        }
    }
}
