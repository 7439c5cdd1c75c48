namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>
/// Where an engine is in its life:
/// <code>
///   Starting ──ready──▶ Idle ⇄ Busy ──kill / idle timeout / drain──▶ ShuttingDown ──▶ Success
///    │  └──────────────── kill ───────────────────────────────────────▲
///    │                    │      │ node lost        ▲ kill
///    │                    │      ▼                  │
///    │                    │   Unreachable ──node back──▶ Idle
///    │                    │      │ not back within Linkis:Node:LostGrace
///    └── start failed / timed out, process died, missed pings, heartbeat lost, node lost ──▶ Failed
/// </code>
/// Success and Failed are final; <see cref="EngineInfo.EndReason"/> says why. Unreachable is not: the engine's host
/// still runs on a node whose silo is gone, and it comes back if the node does. The engine grain's own comment holds
/// the same diagram with the names of its transitions.
/// </summary>
public enum EngineStatus
{
    Starting,
    Idle,
    Busy,
    ShuttingDown,
    Success,
    Failed,

    /// <summary>Its node's silo is lost: not reused, executions refused with 503, until the node returns or its grace ends.</summary>
    Unreachable,
}

public static class EngineStatusExtensions
{
    public static bool IsEnded(this EngineStatus status) => status is EngineStatus.Success or EngineStatus.Failed;

    public static bool IsRunning(this EngineStatus status) => status is EngineStatus.Idle or EngineStatus.Busy;
}
