using Linkis.Orleans.Abstractions.Queue;

namespace Linkis.Orleans.Client.Api.Models;

/// <summary>An ask waiting in its user-creator's queue for room to start its engine.</summary>
public sealed record QueuedAskResponse
{
    public required string AskId { get; init; }

    public required string UserCreator { get; init; }

    public required string EngineType { get; init; }

    /// <summary>Its place in its user-creator's queue: 1 came first, and is the next to get room.</summary>
    public required int Position { get; init; }

    /// <summary>Trying (its first try, not refused yet), Waiting (for room), or Turn (trying again: room may have appeared).</summary>
    public required QueuedAskState State { get; init; }

    public string? RequestedBy { get; init; }

    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>How long it has waited so far, in seconds.</summary>
    public required double WaitedSeconds { get; init; }

    /// <summary>When it gives up: its timeout.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Why it waits: the refusal of its last try.</summary>
    public string? WaitingFor { get; init; }

    public static QueuedAskResponse From(QueuedAsk ask) => new()
    {
        AskId = ask.AskId,
        UserCreator = ask.UserCreator,
        EngineType = ask.EngineType,
        Position = ask.Position,
        State = ask.State,
        RequestedBy = ask.RequestedBy,
        QueuedAt = ask.QueuedAt,
        WaitedSeconds = Math.Round(Math.Max(0, ask.Waited.TotalSeconds), 3),
        Deadline = ask.Deadline,
        WaitingFor = ask.WaitingFor,
    };
}
