namespace Linkis.Orleans.Abstractions.Events;

/// <summary>
/// One thing that happened in the cluster's lifecycle — an engine got ready, an execution ended, a node was lost — as
/// the event log keeps it (Linkis' listener bus, Nomad's event stream). Its fields say who and what it is about; those
/// that do not apply are null.
/// </summary>
[GenerateSerializer, Immutable, Alias("Linkis.LinkisEvent")]
public sealed record LinkisEvent
{
    /// <summary>Its place in the log, given by the log: later events have larger numbers, also after a restart.</summary>
    [Id(0)] public long Sequence { get; init; }

    [Id(1)] public required DateTimeOffset At { get; init; }

    /// <summary>One of <see cref="LinkisEventTypes"/>: <c>{topic}.{what}</c>, as <c>engine.ready</c>.</summary>
    [Id(2)] public required string Type { get; init; }

    /// <summary>The Linux user whose engine it is about: who may see it besides an admin. Null: for admins only.</summary>
    [Id(3)] public string? User { get; init; }
    [Id(4)] public string? UserCreator { get; init; }
    [Id(5)] public string? EngineType { get; init; }
    [Id(6)] public string? EngineId { get; init; }
    [Id(7)] public string? ExecutionId { get; init; }
    [Id(8)] public string? Node { get; init; }

    /// <summary>The status it left its subject in (an engine's, an execution's), when it has one.</summary>
    [Id(9)] public string? Status { get; init; }

    /// <summary>Why, as a kind: an end reason's (<c>IdleTimeout</c>), a node's verdict.</summary>
    [Id(10)] public string? Reason { get; init; }

    /// <summary>For people: what happened, in words.</summary>
    [Id(11)] public string? Message { get; init; }

    /// <summary>The topic, the part of <see cref="Type"/> before its dot.</summary>
    public string Topic => LinkisEventTypes.TopicOf(Type);
}
