using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>One reservation in a ledger: locked while its engine starts (until <c>expiresAt</c>), confirmed once it is up.</summary>
public sealed record TicketResponse
{
    public required string Id { get; init; }

    public required ResourcesResponse Resource { get; init; }

    public required TicketState State { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The engine type of the engine the ticket books for (user-creator ledgers; null on node ledgers).</summary>
    public string? EngineType { get; init; }

    public static TicketResponse From(LedgerTicket t) =>
        new() { Id = t.Id, Resource = ResourcesResponse.From(t.Resource), State = t.State, CreatedAt = t.CreatedAt, ExpiresAt = t.ExpiresAt, EngineType = t.EngineType };
}
