using Linkis.Orleans.Abstractions.Executions;

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

    /// <summary>
    /// Runs code in the engine's executor and waits for it: a <see cref="Submit"/> and its end, with the start of its
    /// output. Executions on one engine run one at a time, in order.
    /// </summary>
    [Alias("Execute"), AlwaysInterleave, ResponseTimeout(ServiceLimits.ExecuteCallTimeout)]
    Task<ExecuteResult> Execute(ExecuteRequest request);

    /// <summary>Queues an execution and returns it at once (<see cref="ExecutionStatus.Queued"/> or already Running).</summary>
    [Alias("Submit")]
    Task<SubmitResult> Submit(ExecutionSubmit submit);

    /// <summary>One of its executions, or null when it has none by that id (or no longer keeps it).</summary>
    [Alias("GetExecution"), AlwaysInterleave]
    Task<ExecutionInfo?> GetExecution(string executionId);

    /// <summary>Its executions, oldest first: those it keeps (<c>Linkis:Engines:ExecutionHistory</c>) and those to come; null when there is no such engine.</summary>
    [Alias("ListExecutions"), AlwaysInterleave]
    Task<IReadOnlyList<ExecutionInfo>?> ListExecutions();

    /// <summary>
    /// Cancels an execution: a waiting one is dropped, a running one interrupted (its executor restarted if it does not
    /// stop within <c>Linkis:Engines:CancelGrace</c>). Returns it as it is now; null when there is none by that id.
    /// </summary>
    [Alias("CancelExecution"), AlwaysInterleave]
    Task<ExecutionInfo?> CancelExecution(string executionId, string by);

    /// <summary>The execution once it has ended, or as it is after <paramref name="timeout"/>; null when there is none by that id.</summary>
    [Alias("WaitForExecution"), AlwaysInterleave, ResponseTimeout(ServiceLimits.ExecuteCallTimeout)]
    Task<ExecutionInfo?> WaitForExecution(string executionId, TimeSpan timeout);

    /// <summary>
    /// An execution's output past <paramref name="from"/> (at most <paramref name="maxBytes"/>), read on its engine's
    /// node; while it runs and there is nothing new, waits up to <paramref name="wait"/> for more.
    /// </summary>
    [Alias("ReadOutput"), AlwaysInterleave, ResponseTimeout(ServiceLimits.OutputReadCallTimeout)]
    Task<OutputChunk> ReadOutput(string executionId, OutputCursor from, int maxBytes, TimeSpan wait);

    /// <summary>Stops the engine; returns once its process is gone and its resources are released.</summary>
    [Alias("Kill"), AlwaysInterleave, ResponseTimeout(ServiceLimits.StopCallTimeout)]
    Task<EngineInfo?> Kill(string by);

    /// <summary>Ends the engine's lease, so asks may be handed it again; null when there is no such engine.</summary>
    [Alias("Unlock")]
    Task<EngineInfo?> Unlock(string by);

    [Alias("ReadLog"), AlwaysInterleave]
    Task<EngineLog> ReadLog(string stream, int tail);
}
