namespace Linkis.Orleans.Abstractions.Events;

/// <summary>The kinds of <see cref="LinkisEvent"/>, by topic.</summary>
public static class LinkisEventTypes
{
    public const string EngineTopic = "engine";
    public const string ExecutionTopic = "execution";
    public const string NodeTopic = "node";
    public const string QuotaTopic = "quota";
    public const string LedgerTopic = "ledger";
    public const string WarmPoolTopic = "pool";

    /// <summary>An ask came in (it may be handed an engine that runs, or start one).</summary>
    public const string EngineAsked = "engine.asked";
    public const string EngineStarting = "engine.starting";
    public const string EngineReady = "engine.ready";
    public const string EngineBusy = "engine.busy";
    public const string EngineIdle = "engine.idle";
    public const string EngineUnreachable = "engine.unreachable";

    /// <summary>Its end reason is in <see cref="LinkisEvent.Reason"/> and <see cref="LinkisEvent.Message"/>.</summary>
    public const string EngineEnded = "engine.ended";

    public const string ExecutionStarted = "execution.started";
    public const string ExecutionEnded = "execution.ended";

    public const string NodeJoined = "node.joined";
    public const string NodeLost = "node.lost";
    public const string NodeReturned = "node.returned";
    public const string NodeDraining = "node.draining";

    public const string QuotaChanged = "quota.changed";
    public const string LedgerRepaired = "ledger.repaired";
    public const string WarmPoolRefilled = "pool.refilled";

    public static readonly IReadOnlyList<string> Topics = [EngineTopic, ExecutionTopic, NodeTopic, QuotaTopic, LedgerTopic, WarmPoolTopic];

    public static readonly IReadOnlyList<string> All =
    [
        EngineAsked, EngineStarting, EngineReady, EngineBusy, EngineIdle, EngineUnreachable, EngineEnded,
        ExecutionStarted, ExecutionEnded,
        NodeJoined, NodeLost, NodeReturned, NodeDraining,
        QuotaChanged, LedgerRepaired, WarmPoolRefilled,
    ];

    public static string TopicOf(string type) => type.IndexOf('.') is var dot and > 0 ? type[..dot] : type;
}
