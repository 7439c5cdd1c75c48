using Linkis.Orleans.Abstractions.Ledger;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>A resource ledger: its max, what is used, locked and left, and its tickets.</summary>
public sealed record LedgerResponse
{
    /// <summary>The ledger's canonical label key, e.g. <c>userCreator=alice-IDE</c> or <c>node=worker-1</c>.</summary>
    public required string Label { get; init; }

    public required ResourcesResponse Max { get; init; }

    public required ResourcesResponse Used { get; init; }

    public required ResourcesResponse Locked { get; init; }

    public required ResourcesResponse Left { get; init; }

    public required IReadOnlyList<TicketResponse> Tickets { get; init; }

    public static LedgerResponse From(LedgerSnapshot l) => new()
    {
        Label = l.Key,
        Max = ResourcesResponse.From(l.Max),
        Used = ResourcesResponse.From(l.Used),
        Locked = ResourcesResponse.From(l.Locked),
        Left = ResourcesResponse.From(l.Left),
        Tickets = [.. l.Tickets.Select(TicketResponse.From)],
    };
}
