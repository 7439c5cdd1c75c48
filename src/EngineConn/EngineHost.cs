using System.Reflection;
using System.Runtime.InteropServices;
using Linkis.Orleans.EngineConn.Executors;
using Linkis.Orleans.EngineConn.Processes;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.EngineConn.Protocol.Messages;
using Linkis.Orleans.EngineConn.Serving;

namespace Linkis.Orleans.EngineConn;

/// <summary>
/// One engine: its executor, the socket its node talks to, and the rules for when it ends — stop from a node,
/// SIGTERM, the executor dying on its own, or no word from any node for the orphan grace. Whatever the reason,
/// the executor is killed, <c>exit.json</c> is written, and the process exits.
/// </summary>
internal sealed class EngineHost
{
    /// <summary>What the executor gets to stop when the host ends for a reason other than a node's stop.</summary>
    private static readonly TimeSpan DefaultExecutorGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long replies already under way get before the host closes its connections.</summary>
    private static readonly TimeSpan ReplyDrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long the host waits for the leftovers it killed to die before it exits anyway.</summary>
    private static readonly TimeSpan LeftoverReapDeadline = TimeSpan.FromSeconds(2);

    private static readonly string HostVersion =
        typeof(EngineHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    private readonly EngineContext _context;
    private readonly string _workDirectory;
    private readonly HostLog _log;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly TaskCompletionSource<ShutdownRequest> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ExecutionQueue _executions;
    private long _lastSiloActivity = Environment.TickCount64;

    private EngineHost(EngineContext context, string workDirectory, ExecutorProcess executor, HostLog log)
    {
        _context = context;
        _workDirectory = workDirectory;
        _log = log;
        _executions = new ExecutionQueue(executor, () => ExecutorProcess.Start(context, workDirectory, log), log);
    }

    /// <summary>Runs the engine until it ends; returns the process exit code (see <see cref="HostExitCodes"/>).</summary>
    public static async Task<int> RunAsync(EngineContext context, string workDirectory, HostLog log)
    {
        var executor = ExecutorProcess.Start(context, workDirectory, log);
        var host = new EngineHost(context, workDirectory, executor, log);
        HostSocketServer server;
        try
        {
            server = HostSocketServer.Start(
                Path.Combine(workDirectory, ProtocolConstants.SocketFileName),
                host,
                (uint)context.AllowedPeerUid,
                log);
        }
        catch
        {
            executor.Kill();
            await executor.Exited.ConfigureAwait(false);
            throw;
        }

        log.Write($"ready: {context.Executor} executor pid {executor.Pid}, socket {ProtocolConstants.SocketFileName}");
        ReadyNotifier.Notify(context, log);
        using (server)
        {
            return await host.RunUntilShutdownAsync(server).ConfigureAwait(false);
        }
    }

    public void RecordSiloActivity() => Interlocked.Exchange(ref _lastSiloActivity, Environment.TickCount64);

    public void RequestShutdown(ShutdownRequest request) => _shutdown.TrySetResult(request);

    public HostMessage Greet(HelloMessage hello)
    {
        if (!string.Equals(hello.EngineId, _context.EngineId, StringComparison.Ordinal))
        {
            return new ErrorMessage("wrong-engine", $"This host serves engine '{_context.EngineId}', not '{hello.EngineId}'.");
        }

        if (hello.ProtocolVersion != ProtocolConstants.ProtocolVersion)
        {
            return new ErrorMessage(
                "protocol-version",
                $"This host speaks protocol version {ProtocolConstants.ProtocolVersion}, not {hello.ProtocolVersion}.");
        }

        if (_executions.ExecutorLost.IsCompleted || _shutdown.Task.IsCompleted)
        {
            return new ErrorMessage("not-running", "The engine's executor is not running; the host is exiting.");
        }

        return new ReadyMessage(
            _context.EngineId,
            ProtocolConstants.ProtocolVersion,
            Environment.ProcessId,
            _executions.Executor.Pid,
            _context.Executor,
            _startedAt,
            HostVersion);
    }

    public PongMessage Pong() => new(_executions.Busy, _executions.ExecutionsCompleted);

    public PulseMessage Pulse() => new(_executions.Busy, _executions.ExecutionsCompleted);

    public StatusMessage Status() => new(
        _context.EngineId,
        Environment.ProcessId,
        _executions.Executor.Pid,
        _executions.Busy,
        _executions.ExecutionsCompleted,
        _startedAt,
        _executions.LastActivityAt);

    /// <summary>Queues an execution, or finds the one its id names; throws once the engine is shutting down.</summary>
    public HostExecution Execute(ExecuteMessage execute)
    {
        if (execute.ExecutionId is { } id && !ProtocolConstants.IsValidExecutionId(id))
        {
            throw new ArgumentException($"'{id}' is not an execution id: letters, digits, '.', '_' and '-', at most 100, not starting with '.'.");
        }

        return (_shutdown.Task.IsCompleted ? null : _executions.Submit(execute))
            ?? throw new InvalidOperationException("The engine is shutting down.");
    }

    public string Cancel(CancelMessage cancel) => _executions.Cancel(cancel.ExecutionId, TimeSpan.FromMilliseconds(Math.Max(0, cancel.GraceMilliseconds)));

    private async Task<int> RunUntilShutdownAsync(HostSocketServer server)
    {
        using var signals = RegisterSignals();
        _ = WatchExecutorAsync();
        _ = WatchOrphanGraceAsync();

        var request = await _shutdown.Task.ConfigureAwait(false);
        _log.Write($"shutting down ({request.Reason}): {request.Message}");

        var executor = _executions.Executor;
        var executorExit = await executor.StopAsync(request.ExecutorGrace).ConfigureAwait(false);
        KillLeftoverProcesses(executor.Pid);
        _executions.Close($"The engine ended ({request.Reason}) before this execution ran.\n");
        await _executions.Completion.WaitAsync(ReplyDrainTimeout).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await server.DrainAsync(ReplyDrainTimeout).ConfigureAwait(false);

        WriteExitRecord(new EngineExitRecord(request.Reason, executorExit.ExitCode, executorExit.Signal, request.Message, DateTimeOffset.UtcNow));
        _log.Write($"executor {executor.Pid} ended with {executorExit}; host exiting");
        return request.Reason is EngineExitReason.ExecutorExited or EngineExitReason.Unhealthy ? HostExitCodes.ExecutorExited : HostExitCodes.Success;
    }

    /// <summary>
    /// What the executor started in the background and left behind is still under the host: its children while the
    /// executor lived, and re-parented to the host (a subreaper) once their parents died. Killing the host's whole
    /// subtree leaves nothing of the engine running, whatever process group or session those processes moved to.
    /// </summary>
    private void KillLeftoverProcesses(int executorPid)
    {
        var killed = ProcessTree.KillDescendants(Environment.ProcessId);
        if (killed == 0)
        {
            return;
        }

        _log.Write($"killed {killed} process(es) the executor left running");
        // Exit only once they are dead and reaped: whoever sees the host gone may rely on nothing of it running.
        if (!ProcessTree.ReapUntilNoneLeft(executorPid, LeftoverReapDeadline))
        {
            _log.Write($"some of them were still dying after {LeftoverReapDeadline.TotalSeconds:0} s; init reaps them once the host exits");
        }
    }

    private async Task WatchExecutorAsync()
    {
        var loss = await _executions.ExecutorLost.ConfigureAwait(false);
        RequestShutdown(new ShutdownRequest(loss.Unhealthy ? EngineExitReason.Unhealthy : EngineExitReason.ExecutorExited, loss.Why, TimeSpan.Zero));
    }

    private async Task WatchOrphanGraceAsync()
    {
        var grace = TimeSpan.FromSeconds(Math.Max(1, _context.OrphanGraceSeconds));
        var period = TimeSpan.FromMilliseconds(Math.Clamp(grace.TotalMilliseconds / 4, 100, 5000));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false) && !_shutdown.Task.IsCompleted)
        {
            ProcessTree.ReapEndedOrphans(_executions.Executor.Pid);
            var silentFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastSiloActivity));
            if (silentFor >= grace)
            {
                RequestShutdown(new ShutdownRequest(
                    EngineExitReason.Orphaned,
                    $"no node has called for {silentFor.TotalSeconds:0.#} s (orphan grace {grace.TotalSeconds:0.#} s)",
                    DefaultExecutorGrace));
                return;
            }
        }
    }

    private CompositeDisposable RegisterSignals()
    {
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            RequestShutdown(new ShutdownRequest(EngineExitReason.Signal, $"received {context.Signal}", DefaultExecutorGrace));
        }

        return new CompositeDisposable(
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop),
            // The host must outlive a silo's terminal or session going away.
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, static context => context.Cancel = true));
    }

    private void WriteExitRecord(EngineExitRecord record)
        => ExitRecordFile.Write(_workDirectory, record, _log);

    private sealed class CompositeDisposable(params IDisposable[] disposables) : IDisposable
    {
        public void Dispose()
        {
            foreach (var disposable in disposables)
            {
                disposable.Dispose();
            }
        }
    }
}
