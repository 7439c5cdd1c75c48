using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Abstractions.Ledger;

public enum TicketState
{
    Locked,
    Confirmed,
}

/// <summary>One reservation in a ledger: locked while an engine starts, confirmed (used) once it is up.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LedgerTicket")]
public sealed record LedgerTicket(
    [property: Id(0)] string Id,
    [property: Id(1)] ResourceVector Resource,
    [property: Id(2)] TicketState State,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] string? EngineType = null);

/// <summary>A ledger as a client sees it: the max, what is used, what is locked, what is left, and its tickets.</summary>
[GenerateSerializer, Immutable, Alias("Linkis.LedgerSnapshot")]
public sealed record LedgerSnapshot(
    [property: Id(0)] string Key,
    [property: Id(1)] ResourceVector Max,
    [property: Id(2)] ResourceVector Used,
    [property: Id(3)] ResourceVector Locked,
    [property: Id(4)] IReadOnlyList<LedgerTicket> Tickets)
{
    public ResourceVector Left => Max.SubtractOrZero(Used.Add(Locked));
}
