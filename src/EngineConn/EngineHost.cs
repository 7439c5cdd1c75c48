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
    private readonly ExecutorProcess _executor;
    private readonly ExecutionQueue _executions;
    private long _lastSiloActivity = Environment.TickCount64;

    private EngineHost(EngineContext context, string workDirectory, ExecutorProcess executor, HostLog log)
    {
        _context = context;
        _workDirectory = workDirectory;
        _executor = executor;
        _log = log;
        _executions = new ExecutionQueue(executor, log);
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

        if (_executor.Exited.IsCompleted || _shutdown.Task.IsCompleted)
        {
            return new ErrorMessage("not-running", "The engine's executor is not running; the host is exiting.");
        }

        return new ReadyMessage(
            _context.EngineId,
            ProtocolConstants.ProtocolVersion,
            Environment.ProcessId,
            _executor.Pid,
            _context.Executor,
            _startedAt,
            HostVersion);
    }

    public PongMessage Pong() => new(_executions.Busy, _executions.ExecutionsCompleted);

    public PulseMessage Pulse() => new(_executions.Busy, _executions.ExecutionsCompleted);

    public StatusMessage Status() => new(
        _context.EngineId,
        Environment.ProcessId,
        _executor.Pid,
        _executions.Busy,
        _executions.ExecutionsCompleted,
        _startedAt,
        _executions.LastActivityAt);

    public Task<ExecuteResultMessage> ExecuteAsync(ExecuteMessage execute)
    {
        var timeout = execute.TimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(execute.TimeoutMilliseconds) : Timeout.InfiniteTimeSpan;
        var execution = new QueuedExecution(execute.Code, timeout);
        if (_shutdown.Task.IsCompleted || !_executions.TryEnqueue(execution))
        {
            throw new InvalidOperationException("The engine is shutting down.");
        }

        return execution.Result.Task;
    }

    private async Task<int> RunUntilShutdownAsync(HostSocketServer server)
    {
        using var signals = RegisterSignals();
        _ = WatchExecutorAsync();
        _ = WatchOrphanGraceAsync();

        var request = await _shutdown.Task.ConfigureAwait(false);
        _log.Write($"shutting down ({request.Reason}): {request.Message}");

        var executorExit = await _executor.StopAsync(request.ExecutorGrace).ConfigureAwait(false);
        KillLeftoverProcesses();
        _executions.Close(() => new ExecuteResultMessage(
            ExitCode: 1, Stdout: "", Stderr: $"The engine ended ({request.Reason}) before this execution ran.\n",
            TimedOut: false, StdoutTruncated: false, StderrTruncated: false));
        await _executions.Completion.WaitAsync(ReplyDrainTimeout).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await server.DrainAsync(ReplyDrainTimeout).ConfigureAwait(false);

        WriteExitRecord(new EngineExitRecord(request.Reason, executorExit.ExitCode, executorExit.Signal, request.Message, DateTimeOffset.UtcNow));
        _log.Write($"executor {_executor.Pid} ended with {executorExit}; host exiting");
        return request.Reason is EngineExitReason.ExecutorExited or EngineExitReason.Unhealthy ? HostExitCodes.ExecutorExited : HostExitCodes.Success;
    }

    /// <summary>
    /// What the executor started in the background and left behind is still under the host: its children while the
    /// executor lived, and re-parented to the host (a subreaper) once their parents died. Killing the host's whole
    /// subtree leaves nothing of the engine running, whatever process group or session those processes moved to.
    /// </summary>
    private void KillLeftoverProcesses()
    {
        var killed = ProcessTree.KillDescendants(Environment.ProcessId);
        if (killed == 0)
        {
            return;
        }

        _log.Write($"killed {killed} process(es) the executor left running");
        // Exit only once they are dead and reaped: whoever sees the host gone may rely on nothing of it running.
        if (!ProcessTree.ReapUntilNoneLeft(_executor.Pid, LeftoverReapDeadline))
        {
            _log.Write($"some of them were still dying after {LeftoverReapDeadline.TotalSeconds:0} s; init reaps them once the host exits");
        }
    }

    private async Task WatchExecutorAsync()
    {
        var exit = await _executor.Exited.ConfigureAwait(false);
        RequestShutdown(_executor.KilledAsUnresponsive is { } why
            ? new ShutdownRequest(EngineExitReason.Unhealthy, why, TimeSpan.Zero)
            : new ShutdownRequest(EngineExitReason.ExecutorExited, $"the executor ended on its own ({exit})", TimeSpan.Zero));
    }

    private async Task WatchOrphanGraceAsync()
    {
        var grace = TimeSpan.FromSeconds(Math.Max(1, _context.OrphanGraceSeconds));
        var period = TimeSpan.FromMilliseconds(Math.Clamp(grace.TotalMilliseconds / 4, 100, 5000));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false) && !_shutdown.Task.IsCompleted)
        {
            ProcessTree.ReapEndedOrphans(_executor.Pid);
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
