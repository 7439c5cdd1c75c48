namespace Linkis.Orleans.Abstractions.Engines;

/// <summary>
/// One engine (Linkis' EngineConn), keyed by engine id: what a client may do with it. How it is started and how its
/// node reports on it are the cluster's own business (the Grains assembly's <c>IEngineLifecycle</c>).
/// </summary>
[Alias("Linkis.IEngineConnGrain")]
public interface IEngineConnGrain : IGrainWithStringKey
{
    /// <summary>The engine, or null when no engine has this id.</summary>
    [Alias("GetInfo"), AlwaysInterleave]
    Task<EngineInfo?> GetInfo();

    /// <summary>Runs code in the engine's executor; executions on one engine run one at a time, in order.</summary>
    [Alias("Execute"), ResponseTimeout(ServiceLimits.ExecuteCallTimeout)]
    Task<ExecuteResult> Execute(ExecuteRequest request);

    /// <summary>Stops the engine; returns once its process is gone and its resources are released.</summary>
    [Alias("Kill"), AlwaysInterleave, ResponseTimeout(ServiceLimits.StopCallTimeout)]
    Task<EngineInfo?> Kill(string by);

    /// <summary>Ends the engine's lease, so asks may be handed it again; null when there is no such engine.</summary>
    [Alias("Unlock")]
    Task<EngineInfo?> Unlock(string by);

    [Alias("ReadLog"), AlwaysInterleave]
    Task<EngineLog> ReadLog(string stream, int tail);
}
