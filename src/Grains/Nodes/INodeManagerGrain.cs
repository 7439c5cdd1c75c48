using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// A worker node's engine-connection manager (Linkis' ECM), keyed by node name and activated only on the silo of that
/// name. Owns the node's capacity ledger, its health report and the table of engine processes it launched.
/// Calls that wait on a process are interleaved, so a slow engine never holds up the node.
/// </summary>
[Alias("Linkis.INodeManagerGrain")]
public interface INodeManagerGrain : IGrainWithStringKey
{
    [Alias("GetReport")]
    Task<NodeReport> GetReport();

    /// <summary>The name of the silo this activation lives on.</summary>
    [Alias("GetSiloName")]
    Task<string> GetSiloName();

    /// <summary>Writes the engine's work dir and engine.json and starts its host; does not wait for it to be ready.</summary>
    [Alias("Launch")]
    Task<LaunchResult> Launch(EngineHostLaunch launch);

    [Alias("WaitUntilReady"), AlwaysInterleave, ResponseTimeout(ServiceLimits.StartCallTimeout)]
    Task<ReadyResult> WaitUntilReady(string engineId, TimeSpan timeout, CancellationToken cancellationToken = default);

    [Alias("Execute"), AlwaysInterleave, ResponseTimeout(ServiceLimits.ExecuteCallTimeout)]
    Task<ExecuteResult> Execute(string engineId, ExecuteRequest request);

    /// <summary>Stops the engine: stop over its socket, SIGTERM to its process group, SIGKILL after the grace. Idempotent.</summary>
    [Alias("Stop"), AlwaysInterleave, ResponseTimeout(ServiceLimits.StopCallTimeout)]
    Task Stop(string engineId, string reason);

    [Alias("ReadLog"), AlwaysInterleave]
    Task<EngineLog> ReadLog(string engineId, string stream, int tail);

    /// <summary>Interrupts (or drops, when it waits) an execution on the engine's host; false when the engine does not run here.</summary>
    [Alias("CancelExecution"), AlwaysInterleave]
    Task<bool> CancelExecution(string engineId, string executionId, TimeSpan grace);

    /// <summary>An execution's output past <paramref name="from"/>, waiting up to <paramref name="wait"/> for more while it runs (a long poll).</summary>
    [Alias("ReadOutput"), AlwaysInterleave, ResponseTimeout(ServiceLimits.OutputReadCallTimeout)]
    Task<OutputChunk> ReadOutput(string engineId, string executionId, OutputCursor from, int maxBytes, TimeSpan wait);

    /// <summary>Drops a finished engine from the process table.</summary>
    [Alias("Forget")]
    Task Forget(string engineId);

    /// <summary>Whether the node runs the engine's host now: asked by an engine grain that stopped getting heartbeats.</summary>
    [Alias("HasEngine"), AlwaysInterleave]
    Task<bool> HasEngine(string engineId);

    /// <summary>
    /// Admins changed whether the node takes new engines (eligibility, drain); it refuses launches from now on, and
    /// returns once its report saying so has been sent to every silo's directory.
    /// </summary>
    [Alias("OnAdmissionChanged")]
    Task OnAdmissionChanged(NodeAdmission admission);

    /// <summary>Compares the engines that really run here with the ledgers, repairs every difference, and says how many.</summary>
    [Alias("Reconcile")]
    Task<int> Reconcile();
}
