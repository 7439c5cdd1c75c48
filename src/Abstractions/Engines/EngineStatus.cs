namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>
/// Where an engine is in its life:
/// <code>
///   Starting ──ready──▶ Idle ⇄ Busy ──kill / idle timeout──▶ ShuttingDown ──▶ Success
///    │  └──────────────── kill ───────────────────────────────▲
///    │                    │      │
///    └── start failed / timed out, process died, missed pings, heartbeat lost ──▶ Failed
/// </code>
/// Success and Failed are final; <see cref="EngineInfo.EndReason"/> says why. The engine grain's own comment holds
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
}

public static class EngineStatusExtensions
{
    public static bool IsEnded(this EngineStatus status) => status is EngineStatus.Success or EngineStatus.Failed;

    public static bool IsRunning(this EngineStatus status) => status is EngineStatus.Idle or EngineStatus.Busy;
}
