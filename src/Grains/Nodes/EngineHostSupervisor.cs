using System.Collections.Concurrent;
using System.Collections.Immutable;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.EngineConn.Protocol;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Nodes.Output;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// The node-local half of the node manager: holds the live handles of the engine hosts this silo launched, watches
/// each process's exit (seen at once), hears each host pulse every <see cref="NodeOptions.PingInterval"/> (the host
/// sends them; the node only reads) and forwards liveness to the engine grains. A host that misses
/// <see cref="NodeOptions.MissedPingsBeforeDead"/> rounds in a row is killed first and reported second, so an execution
/// stuck on it fails at once instead of waiting out its timeout. Each round's live hosts go in one <see cref="IHeartbeatRelayGrain"/> call per silo that holds their engines' grains (as
/// each grain last said); an engine whose silo is not known, or whom its silo's relay could not serve (its grain is not
/// active there, or wants each heartbeat as a call), hears a call of its own, whose answer says where to batch it next.
/// </summary>
public sealed partial class EngineHostSupervisor(
    IEngineHostLauncher launcher,
    ExecutionOutputs outputs,
    IGrainFactory grainFactory,
    IOptions<NodeOptions> options,
    ILocalSiloDetails silo,
    TimeProvider time,
    ILogger<EngineHostSupervisor> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Supervised> _engines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly object _pingLoopLock = new();
    private Task? _pingLoop;
    private int _disposed;

    public string HostKind => launcher.HostKind;

    public string Limits => launcher.Limits;

    public int Count => _engines.Count;

    public int StartingCount => _engines.Values.Count(e => !e.Ready);

    private int _busy;
    private long _relayCalls;
    private long _directCalls;
    private long _rounds;

    // The ping loop's own, reused each round: lists of 10,000 would otherwise be large objects, collected only with generation 2.
    private readonly List<Supervised> _answered = [];
    private readonly Dictionary<string, List<string>> _bySilo = new(StringComparer.Ordinal);

    /// <summary>Executions running on this node's engines now.</summary>
    public int BusyCount => Volatile.Read(ref _busy);

    /// <summary>Batches of heartbeats sent to silos' relays since the start: one per silo per round.</summary>
    public long HeartbeatRelayCalls => Interlocked.Read(ref _relayCalls);

    /// <summary>Heartbeats sent as a call to their engine's grain since the start.</summary>
    public long HeartbeatDirectCalls => Interlocked.Read(ref _directCalls);

    /// <summary>Rounds finished (live hosts forwarded, or the forwarding given up waiting for) since the start.</summary>
    public long PingRounds => Interlocked.Read(ref _rounds);

    public EngineProcessRecord Launch(EngineHostLaunch launch)
    {
        var handle = launcher.Launch(launch);
        var supervised = new Supervised(handle);
        if (!_engines.TryAdd(launch.EngineId, supervised))
        {
            handle.KillProcessGroup();
            _ = handle.DisposeAsync().AsTask();
            throw new EngineLaunchException($"engine {launch.EngineId} is already running on this node");
        }

        _ = RunDetached(() => WatchExitAsync(supervised));
        EnsurePingLoop();
        return handle.Record;
    }

    /// <summary>Takes over a host re-attached after a restart: it is ready, watched and pinged like one launched here.</summary>
    public bool Adopt(IEngineHostHandle handle)
    {
        var supervised = new Supervised(handle) { Ready = true };
        if (!_engines.TryAdd(handle.EngineId, supervised))
        {
            return false;
        }

        _ = RunDetached(() => WatchExitAsync(supervised));
        EnsurePingLoop();
        return true;
    }

    /// <summary>Tells an engine grain, off the caller's turn, that its process is gone (found so after a restart).</summary>
    public void ReportGone(string engineId, ProcessExit exit) =>
        _ = RunDetached(() => Notify(engineId, grainFactory.GetGrain<IEngineLifecycle>(engineId), grain => grain.OnProcessExited(exit)));

    public async Task<ReadyResult> WaitUntilReadyAsync(string engineId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_engines.TryGetValue(engineId, out var supervised))
        {
            return new ReadyResult(false, null, new EndReason(EndReasonKind.StartFailed, $"engine {engineId} is not running on node {silo.Name}"), null);
        }

        var handle = supervised.Handle;
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            await handle.WaitReadyAsync(timeout, waiting.Token);
            supervised.Ready = true;
            LogReady(engineId, handle.Pid, (time.GetUtcNow() - handle.StartedAt).TotalMilliseconds);
            return new ReadyResult(true, handle.Pid, null, null);
        }
        catch (EngineExitedBeforeReadyException e)
        {
            var reason = e.Exit.ToUnrequestedEndReason();
            return await FailStart(supervised, new EndReason(EndReasonKind.StartFailed, reason.Message, ExitCode: reason.ExitCode, Signal: reason.Signal));
        }
        catch (TimeoutException e)
        {
            // Alive but silent: what its threads wait in says whether it was stopped, frozen, starved or blocked.
            var snapshot = handle.Exited.IsCompleted ? null : ProcessSnapshot.Describe(handle.Pid);
            if (snapshot is not null)
            {
                LogSilentHost(engineId, snapshot);
            }

            return await FailStart(supervised, new EndReason(EndReasonKind.StartTimeout, e.Message), snapshot);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await FailStart(supervised, new EndReason(EndReasonKind.StartFailed, "the start was cancelled: its asker went away"));
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            return await FailStart(supervised, new EndReason(EndReasonKind.StartFailed, $"node {silo.Name} shut down while the engine was starting"));
        }
        catch (Exception e) when (e is EngineHostProtocolException or IOException or System.Net.Sockets.SocketException or EngineHostConnectionLostException)
        {
            return await FailStart(supervised, new EndReason(EndReasonKind.StartFailed, $"the engine host did not complete its handshake: {e.Message}"));
        }
    }

    public async Task<ExecuteResult> ExecuteAsync(string engineId, ExecuteRequest request)
    {
        if (!_engines.TryGetValue(engineId, out var supervised) || !supervised.Ready)
        {
            return ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "Engine not running", $"engine {engineId} is not running on node {silo.Name}"));
        }

        Interlocked.Increment(ref _busy);
        var watch = request.ExecutionId is { } executionId ? outputs.Watch(executionId) : null;
        try
        {
            return await supervised.Handle.ExecuteAsync(request, watch, _shutdown.Token);
        }
        catch (Exception e) when (e is EngineHostConnectionLostException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            LogExecuteFailed(e, engineId);
            return ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "Engine ended during the execution",
                $"engine {engineId} ended while executing; ask for a new engine"));
        }
        catch (EngineHostProtocolException e)
        {
            // The host refused the execution (its executor has just ended, say): the engine cannot run it.
            LogExecuteFailed(e, engineId);
            return ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "The engine cannot execute",
                $"engine {engineId} refused the execution ({e.ErrorCode ?? "no reason given"}); ask for a new engine"));
        }
        catch (TimeoutException e)
        {
            // The host did not answer within the execution's own timeout: it is stuck, and running the code again
            // elsewhere is the asker's call, not a retry's.
            LogExecuteFailed(e, engineId);
            return ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Timeout, "The engine did not answer in time",
                $"engine {engineId} did not answer within the execution's timeout of {request.Timeout.TotalSeconds:0} s and some slack"));
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
            if (watch is not null)
            {
                outputs.Ended(request.ExecutionId!);
            }
        }
    }

    /// <summary>Cancels an execution on the engine's host; false when the engine does not run here.</summary>
    public async Task<bool> CancelExecutionAsync(string engineId, string executionId, TimeSpan grace)
    {
        if (!_engines.TryGetValue(engineId, out var supervised) || !supervised.Ready)
        {
            return false;
        }

        try
        {
            var outcome = await supervised.Handle.CancelAsync(executionId, grace, _shutdown.Token);
            LogCancelled(engineId, executionId, outcome);
            return true;
        }
        catch (Exception e) when (e is EngineHostConnectionLostException or EngineHostProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException or TimeoutException)
        {
            LogExecuteFailed(e, engineId);
            return false;
        }
    }

    /// <summary>
    /// Stops the engine's process tree and waits until it is gone, giving it <paramref name="grace"/> (the kill grace
    /// unless said) to exit by itself; a no-op for an engine not running here.
    /// </summary>
    public async Task StopAsync(string engineId, string reason, TimeSpan? grace = null)
    {
        if (_engines.TryGetValue(engineId, out var supervised))
        {
            supervised.StopRequested = true;
            await supervised.Handle.StopAsync(reason, grace ?? options.Value.KillGrace);
        }
    }

    public bool IsRunning(string engineId) => _engines.ContainsKey(engineId);

    /// <summary>Whether the engine runs here and is being pinged, so its grain should be hearing of it.</summary>
    public bool IsWatching(string engineId) => !_shutdown.IsCancellationRequested && _engines.ContainsKey(engineId);

    public Task<Reattachment> ReattachAsync(EngineProcessRecord record, CancellationToken cancellationToken) =>
        launcher.ReattachAsync(record, cancellationToken);

    /// <summary>Removes the control groups a crashed silo left of engines that do not run here.</summary>
    public Task RemoveLeftoverLimitsAsync() => launcher.RemoveLeftoversAsync(IsRunning);

    /// <summary>Lets go of an ended engine, killing whatever may be left of its process group and removing its control groups.</summary>
    public async Task ForgetAsync(string engineId)
    {
        if (_engines.TryRemove(engineId, out var supervised))
        {
            supervised.Handle.KillProcessGroup();
            await supervised.Handle.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Shutdown is not kill: a silo that stops leaves its engines running, to be re-attached when it returns —
        // unless nothing could re-attach them (in-memory state), in which case they go with it.
        await _shutdown.CancelAsync();
        if (options.Value.StopEnginesOnShutdown == true)
        {
            await Task.WhenAll(_engines.Values.Select(async e =>
            {
                e.StopRequested = true;
                await e.Handle.StopAsync("the silo is shutting down", options.Value.KillGrace);
                // Stopped for good: its control groups go too (engines left running keep theirs, to be re-attached).
                await e.Handle.DisposeAsync();
            }));
        }

        if (_pingLoop is { } loop)
        {
            await loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        // _shutdown is not disposed: it owns no timer, and calls still in flight may read its token.
    }

    private async Task<ReadyResult> FailStart(Supervised supervised, EndReason reason, string? hostSnapshot = null)
    {
        var handle = supervised.Handle;
        supervised.StopRequested = true;
        await handle.StopAsync("start failed", TimeSpan.Zero);
        var tail = handle.ReadLogTail("stderr", 20);
        if (tail.Count == 0)
        {
            tail = handle.ReadLogTail("stdout", 20);
        }

        if (hostSnapshot is not null)
        {
            tail = [.. tail, $"[node {silo.Name}] the host at the time-out: {hostSnapshot}"];
        }

        LogStartFailed(handle.EngineId, reason.Message);
        return new ReadyResult(false, handle.Pid, reason, tail);
    }

    private async Task WatchExitAsync(Supervised supervised)
    {
        var exit = await supervised.Handle.Exited;
        // The host is gone; its executor and anything it started must go with it.
        supervised.Handle.KillProcessGroup();
        if (supervised.StopRequested || !supervised.Ready)
        {
            return;
        }

        LogExited(supervised.Handle.EngineId, supervised.Handle.Pid, exit.ToUnrequestedEndReason().Message);
        await Notify(supervised, grain => grain.OnProcessExited(exit));
    }

    /// <summary>
    /// Starts work that outlives the call starting it without that call's ambient state: the ping loop started by
    /// the first launch must not make every later heartbeat a span of that launch's trace, nor log in its engine's scope.
    /// </summary>
    private static Task RunDetached(Func<Task> work)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(work);
        }
    }

    private void EnsurePingLoop()
    {
        lock (_pingLoopLock)
        {
            _pingLoop ??= RunDetached(PingLoopAsync);
        }
    }

    /// <summary>
    /// A round at each judging instant of the <see cref="PulseSchedule"/>: half an interval after the instant all hosts
    /// pulse at, so each round judges the pulses of one burst, however late some of them came.
    /// </summary>
    private async Task PingLoopAsync()
    {
        var interval = options.Value.PingInterval;
        var now = time.GetUtcNow();
        var next = now + PulseSchedule.UntilNextJudgement(now, interval);
        try
        {
            while (true)
            {
                if (next - time.GetUtcNow() is var wait && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, _shutdown.Token);
                }

                var at = JudgeRound(interval);
                await ForwardAsync(at, interval);
                Interlocked.Increment(ref _rounds);

                // Each round is due at the instant after the last one's, not an interval from whenever this line runs: a
                // round that ends late is followed by one at once, as a periodic timer's missed tick, never by none.
                next += interval;
                now = time.GetUtcNow();
                if (next <= now)
                {
                    next = now + PulseSchedule.UntilNextJudgement(now, interval) - interval;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Takes every ready host heard since its last pulse instant was due, an interval's slack included, into
    /// <see cref="_answered"/> and counts a miss for each one that was not; returns the round's time, which each of them vouches for within an interval. Nothing is sent:
    /// each host pulses by itself (see <see cref="PulseSchedule"/>), so a round costs this node no call per engine.
    /// </summary>
    private DateTimeOffset JudgeRound(TimeSpan interval)
    {
        _answered.Clear();
        var at = time.GetUtcNow();
        // The dictionary itself, not .Values: that would copy 10,000 references into a new list each round.
        foreach (var (_, supervised) in _engines)
        {
            if (!supervised.Ready || supervised.StopRequested || supervised.Handle.Exited.IsCompleted)
            {
                continue;
            }

            // Judged half an interval after the pulse instant: a pulse may come a whole interval late, as a pong could.
            var silentFor = supervised.Handle.SilentFor;
            if (silentFor < interval + interval / 2)
            {
                supervised.MissedPings = 0;
                _answered.Add(supervised);
            }
            else
            {
                MissedPing(supervised, $"no pulse for {silentFor.TotalSeconds:0.###} s (ping interval {interval.TotalSeconds:0.###} s)");
            }
        }

        return at;
    }

    private void MissedPing(Supervised supervised, string why)
    {
        var handle = supervised.Handle;
        supervised.MissedPings++;
        LogMissedPing(handle.EngineId, supervised.MissedPings, why);
        if (supervised.MissedPings >= options.Value.MissedPingsBeforeDead && !supervised.StopRequested)
        {
            supervised.StopRequested = true;
            handle.KillProcessGroup();
            var missed = supervised.MissedPings;
            _ = Notify(supervised, grain => grain.OnUnresponsive(missed));
        }
    }

    /// <summary>
    /// Tells the engine grains of a round's pongs: one relay call per silo their grains were last on, and a call of its
    /// own to each engine no relay took. The round waits one ping interval at most (a silo that does not answer must not
    /// hold up the pings); calls still out then finish on their own, and what they answer is still taken in.
    /// </summary>
    private async Task ForwardAsync(DateTimeOffset at, TimeSpan interval)
    {
        var calls = new List<Task>();
        foreach (var supervised in _answered)
        {
            if (supervised.GrainSilo is not { } grainSilo)
            {
                calls.Add(HeartbeatDirectAsync(supervised, at));
            }
            else if (_bySilo.TryGetValue(grainSilo, out var ids))
            {
                ids.Add(supervised.Handle.EngineId);
            }
            else
            {
                _bySilo[grainSilo] = [supervised.Handle.EngineId];
            }
        }

        _answered.Clear();
        foreach (var (grainSilo, ids) in _bySilo)
        {
            if (ids.Count == 0)
            {
                // Nothing of this node lives there any more.
                _bySilo.Remove(grainSilo);
                continue;
            }

            calls.Add(RelayAsync(grainSilo, new HeartbeatBatch(at, [.. ids])));
            ids.Clear();
        }

        try
        {
            await Task.WhenAll(calls).WaitAsync(interval, time, _shutdown.Token);
        }
        catch (TimeoutException)
        {
            LogForwardingSlow(calls.Count(c => !c.IsCompleted), interval.TotalSeconds);
        }
    }

    private async Task RelayAsync(string grainSilo, HeartbeatBatch batch)
    {
        ImmutableArray<string> unserved;
        Interlocked.Increment(ref _relayCalls);
        LinkisTelemetry.HeartbeatCalls.Add(1, new KeyValuePair<string, object?>("kind", "relay"));
        try
        {
            unserved = await grainFactory.GetGrain<IHeartbeatRelayGrain>(grainSilo).Relay(batch);
        }
        catch (Exception e)
        {
            // Whether it got there or not, each engine hears it in a call of its own, which also says where it lives now.
            LogRelayFailed(grainSilo, batch.EngineIds.Length, e.Message);
            unserved = batch.EngineIds;
        }

        if (unserved.IsEmpty)
        {
            return;
        }

        var calls = new List<Task>(unserved.Length);
        foreach (var engineId in unserved)
        {
            if (_engines.TryGetValue(engineId, out var supervised))
            {
                calls.Add(HeartbeatDirectAsync(supervised, batch.At));
            }
        }

        await Task.WhenAll(calls);
    }

    private async Task HeartbeatDirectAsync(Supervised supervised, DateTimeOffset at)
    {
        Interlocked.Increment(ref _directCalls);
        LinkisTelemetry.HeartbeatCalls.Add(1, new KeyValuePair<string, object?>("kind", "direct"));
        try
        {
            supervised.GrainSilo = await Grain(supervised).Heartbeat(at);
        }
        catch (Exception e)
        {
            supervised.GrainSilo = null;
            LogNotifyFailed(supervised.Handle.EngineId, e.Message);
        }
    }

    private Task Notify(Supervised supervised, Func<IEngineLifecycle, Task> call) =>
        Notify(supervised.Handle.EngineId, Grain(supervised), call);

    private IEngineLifecycle Grain(Supervised supervised) =>
        supervised.Grain ??= grainFactory.GetGrain<IEngineLifecycle>(supervised.Handle.EngineId);

    private async Task Notify(string engineId, IEngineLifecycle grain, Func<IEngineLifecycle, Task> call)
    {
        try
        {
            await call(grain);
        }
        catch (Exception e)
        {
            LogNotifyFailed(engineId, e.Message);
        }
    }

    private sealed class Supervised(IEngineHostHandle handle)
    {
        public IEngineHostHandle Handle { get; } = handle;

        public volatile bool Ready;

        public volatile bool StopRequested;

        public int MissedPings;

        /// <summary>The engine's grain reference, made once: pongs that no relay takes are forwarded to it.</summary>
        public IEngineLifecycle? Grain;

        /// <summary>The silo whose relay takes the engine's heartbeats in a batch, as its grain last said; null: call it.</summary>
        public volatile string? GrainSilo;
    }
}
