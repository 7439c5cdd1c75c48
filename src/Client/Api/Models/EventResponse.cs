using Linkis.Orleans.Abstractions.Events;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>One lifecycle event, as the event stream sends it (its SSE event name is its type, its id its sequence).</summary>
public sealed record EventResponse
{
    /// <summary>Its place in the log: resume after it with <c>Last-Event-ID</c>.</summary>
    public required long Sequence { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary><c>{topic}.{what}</c>: <c>engine.ready</c>, <c>node.lost</c>, …; <c>stream.missed</c> when events were dropped before they could be sent.</summary>
    public required string Type { get; init; }
    public string? User { get; init; }
    public string? UserCreator { get; init; }
    public string? EngineType { get; init; }
    public string? EngineId { get; init; }
    public string? ExecutionId { get; init; }
    public string? Node { get; init; }

    /// <summary>The status it left its engine or execution in; for <c>engine.asked</c>, <c>created</c>, <c>reused</c> or <c>rejected</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Why, as a kind: an end reason's, a refused ask's.</summary>
    public string? Reason { get; init; }
    public string? Message { get; init; }

    public static EventResponse From(LinkisEvent e) => new()
    {
        Sequence = e.Sequence,
        At = e.At,
        Type = e.Type,
        User = e.User,
        UserCreator = e.UserCreator,
        EngineType = e.EngineType,
        EngineId = e.EngineId,
        ExecutionId = e.ExecutionId,
        Node = e.Node,
        Status = e.Status,
        Reason = e.Reason,
        Message = e.Message,
    };
}
