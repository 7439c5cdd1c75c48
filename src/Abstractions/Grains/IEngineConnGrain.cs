using Linkis.Orleans.Engines;

namespace Linkis.Orleans.Grains;

/// <summary>One engine's lifecycle (Linkis' EngineConn), keyed by engine id. Owns its status, timers and ledger tickets.</summary>
[Alias("Linkis.IEngineConnGrain")]
public interface IEngineConnGrain : IGrainWithStringKey
{
    /// <summary>Starts the engine on its node and returns once it is ready (Idle) or has failed.</summary>
    [Alias("Start"), ResponseTimeout("00:11:00")]
    Task<StartResult> Start(EngineStartSpec spec);

    /// <summary>The engine, or null when no engine has this id.</summary>
    [Alias("GetInfo"), AlwaysInterleave]
    Task<EngineInfo?> GetInfo();

    [Alias("Execute"), ResponseTimeout("01:01:00")]
    Task<ExecuteResult> Execute(ExecuteRequest request);

    /// <summary>Stops the engine; returns once its process is gone and its resources are released.</summary>
    [Alias("Kill"), AlwaysInterleave, ResponseTimeout("00:02:00")]
    Task<EngineInfo?> Kill(string by);

    /// <summary>Leases the engine to <paramref name="by"/>; false when it is not running or leased to someone else.</summary>
    [Alias("Lock")]
    Task<bool> Lock(string by);

    /// <summary>Ends the engine's lease, so asks may be handed it again; null when there is no such engine.</summary>
    [Alias("Unlock")]
    Task<EngineInfo?> Unlock(string by);

    [Alias("ReadLog"), AlwaysInterleave]
    Task<EngineLog> ReadLog(string stream, int tail);

    /// <summary>The node saw the engine's host answer a ping.</summary>
    [Alias("Heartbeat"), OneWay, AlwaysInterleave]
    Task Heartbeat(DateTimeOffset at);

    /// <summary>The node saw the engine's process exit.</summary>
    [Alias("OnProcessExited")]
    Task OnProcessExited(ProcessExit exit);

    /// <summary>The node gave up on the engine's host after it missed pings.</summary>
    [Alias("OnUnresponsive")]
    Task OnUnresponsive(int missedPings);
}
