using Linkis.Orleans.Grains;
using System.Diagnostics;
using Linkis.Orleans.Options;
using Linkis.Orleans.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Linkis.Orleans.Engines;

/// <summary>
/// One engine's lifecycle:
/// <code>
///   Start ─▶ Starting ──ready──▶ Idle ⇄ Busy ──Kill / idle timeout──▶ ShuttingDown ──▶ Success
///               │                  │      │
///               └─ start failed ───┴──────┴── process exited, missed pings, heartbeat lost ──▶ Failed
/// </code>
/// Every end goes through <see cref="EndAsync"/>, the one place that stops the process, releases both ledger tickets
/// and forgets the engine on its node — so no path can leak. Kill, GetInfo, Heartbeat and the check timer interleave
/// with a running execution; they only flip the status first, and the execution's continuation respects it.
/// </summary>
public sealed partial class EngineConnGrain(
    [PersistentState("engine", StorageNames.Linkis)] IPersistentState<EngineState> state,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<EngineConnGrain> logger) : Grain, IEngineConnGrain
{
    private static readonly TimeSpan MinCheckDelay = TimeSpan.FromMilliseconds(10);
    private IGrainTimer? _checkTimer;
    private DateTimeOffset _lastHeartbeat;
    private Task? _shutdown;
    private bool _starting;
    private bool _leftoverStopRequested;
    private bool _unsaved;
    private EngineStatus? _counted;

    private string EngineId => this.GetPrimaryKeyString();

    private EngineStartSpec Spec => state.State.Spec ?? throw new InvalidOperationException($"engine {EngineId} was never started");

    private INodeManagerGrain Node => GrainFactory.GetGrain<INodeManagerGrain>(Spec.Node);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastHeartbeat = time.GetUtcNow();
        if (state.State.Spec is not null && (!state.State.Status.IsEnded() || !state.State.ResourcesReleased))
        {
            StartCheckTimer();
        }

        CountStatus();

        if (state.State is { Spec: not null, Status: EngineStatus.Starting })
        {
            // A start that a silo restart cut short: nobody will finish it, so end it (after activation, since ending
            // calls the node, which may itself be activating).
            this.RegisterGrainTimer(
                () => EndAsync(new EndReason(EndReasonKind.StartFailed, "the silo restarted while the engine was starting")),
                new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public async Task<StartResult> Start(EngineStartSpec spec)
    {
        if (state.State.Spec is not null)
        {
            return new StartResult(ToInfo(), null);
        }

        _starting = true;
        using var activity = LinkisTelemetry.Source.StartActivity("linkis.engine.start");
        activity?.SetTag("linkis.engine.id", EngineId);
        activity?.SetTag("linkis.node", spec.Node);
        var started = time.GetTimestamp();
        try
        {
            var result = await StartCore(spec);
            var ready = result.Engine.Status.IsRunning();
            LinkisTelemetry.EngineStartDuration.Record(time.GetElapsedTime(started).TotalMilliseconds,
                new("engine_type", spec.Labels.EngineType.ToString()), new("outcome", ready ? "ready" : "failed"));
            if (!ready)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result.Engine.EndReason?.Message);
            }

            return result;
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task<StartResult> StartCore(EngineStartSpec spec)
    {
        var now = time.GetUtcNow();
        state.State = new EngineState { Spec = spec, Status = EngineStatus.Starting, CreatedAt = now };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing was launched and nothing was told: this engine never existed. The asker releases its tickets.
            state.State = new EngineState();
            DeactivateOnIdle();
            throw;
        }

        Publish();
        StartCheckTimer();

        LaunchResult launch;
        try
        {
            launch = await Node.Launch(new LaunchRequest(EngineId, spec.Labels.UserCreator.User, spec.Launch, spec.Properties));
        }
        catch (Exception e)
        {
            await EndAsync(new EndReason(EndReasonKind.StartFailed, $"node {spec.Node} could not launch the engine: {e.Message}"));
            return new StartResult(ToInfo(), null);
        }

        if (launch.Error is { } error)
        {
            await EndAsync(new EndReason(EndReasonKind.StartFailed, error.Detail));
            return new StartResult(ToInfo(), null);
        }

        state.State = state.State with { Pid = launch.Pid };
        try
        {
            return await CompleteStart(spec);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e) && !state.State.Status.IsEnded())
        {
            // The cluster or its storage failed under a launched engine: it must not be left running unowned.
            await EndAsync(new EndReason(EndReasonKind.StartFailed, $"the start could not be completed: {e.GetBaseException().Message}"));
            throw;
        }
    }

    private async Task<StartResult> CompleteStart(EngineStartSpec spec)
    {
        var ready = await Node.WaitUntilReady(EngineId, spec.StartTimeout);
        if (state.State.Status != EngineStatus.Starting)
        {
            // Killed while starting: the kill finishes the job.
            return new StartResult(ToInfo(), null);
        }

        if (!ready.Ready)
        {
            await EndAsync(ready.Failure ?? new EndReason(EndReasonKind.StartFailed, "the engine did not become ready"));
            return new StartResult(ToInfo(), ready.LogTail);
        }

        var confirmed = await Task.WhenAll(
            GrainFactory.GetGrain<IResourceLedgerGrain>(spec.Labels.PoolKey).Confirm(spec.Ticket),
            GrainFactory.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(spec.Node)).Confirm(spec.Ticket));
        if (!confirmed.All(c => c))
        {
            await EndAsync(new EndReason(EndReasonKind.StartFailed, "its resource lock expired before it was ready; raise Linkis:Engines:LockTtl"));
            return new StartResult(ToInfo(), null);
        }

        var now = time.GetUtcNow();
        _lastHeartbeat = now;
        state.State = state.State with { Status = EngineStatus.Idle, Pid = ready.Pid, ReadyAt = now, LastActivityAt = now };
        if (spec.LockedBy is { } owner)
        {
            state.State = state.State with { Locked = true, LockedBy = owner, LockExpiresAt = now + options.Value.LockLease };
        }

        await state.WriteStateAsync();
        Publish();
        ScheduleNextCheck();
        LogReady(EngineId, spec.Node, ready.Pid ?? 0, (now - state.State.CreatedAt).TotalMilliseconds);
        return new StartResult(ToInfo(), null);
    }

    public Task<EngineInfo?> GetInfo() => Task.FromResult(state.State.Spec is null ? null : ToInfo());

    public async Task<ExecuteResult> Execute(ExecuteRequest request)
    {
        if (state.State.Spec is null)
        {
            return ExecuteResult.Failed(LinkisError.EngineNotFound(EngineId));
        }

        if (!state.State.Status.IsRunning())
        {
            return ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "The engine cannot execute",
                $"engine {EngineId} is {state.State.Status}" + (state.State.EndReason is { } r ? $" ({r.Message})" : "") + "; ask for a new engine"));
        }

        if (request.Timeout <= TimeSpan.Zero || request.Timeout > options.Value.MaxExecuteTimeout)
        {
            return ExecuteResult.Failed(LinkisError.Invalid("timeoutSeconds",
                $"must be more than 0 and at most {options.Value.MaxExecuteTimeout.TotalSeconds:0} (Linkis:Engines:MaxExecuteTimeout)"));
        }

        SetStatus(EngineStatus.Busy);
        ExecuteResult result;
        try
        {
            result = await Node.Execute(EngineId, request);
        }
        finally
        {
            var now = time.GetUtcNow();
            state.State = state.State with
            {
                LastActivityAt = now,
                ExecutionCount = state.State.ExecutionCount + 1,
                LockExpiresAt = state.State.Locked ? now + options.Value.LockLease : null,
            };
            if (state.State.Status == EngineStatus.Busy)
            {
                SetStatus(EngineStatus.Idle);
            }
        }

        return result;
    }

    public async Task<EngineInfo?> Kill(string by)
    {
        if (state.State.Spec is null)
        {
            return null;
        }

        if (!state.State.Status.IsEnded())
        {
            LogKillRequested(EngineId, by);
            await ShutDown(EndReason.Killed(by));
        }

        return ToInfo();
    }

    public async Task<bool> Lock(string by)
    {
        var current = state.State;
        if (current.Spec is null || !current.Status.IsRunning() || (current.Locked && current.LockedBy != by))
        {
            return false;
        }

        state.State = current with { Locked = true, LockedBy = by, LockExpiresAt = time.GetUtcNow() + options.Value.LockLease };
        await state.WriteStateAsync();
        Publish();
        ScheduleNextCheck();
        return true;
    }

    public async Task<EngineInfo?> Unlock(string by)
    {
        if (state.State.Spec is null)
        {
            return null;
        }

        if (state.State.Locked)
        {
            LogUnlocked(EngineId, state.State.LockedBy ?? "", by);
            await ReleaseLease();
        }

        return ToInfo();
    }

    public async Task<EngineLog> ReadLog(string stream, int tail) =>
        state.State.Spec is null
            ? new EngineLog(EngineId, stream, [], LinkisError.EngineNotFound(EngineId))
            : await Node.ReadLog(EngineId, stream, tail);

    public Task Heartbeat(DateTimeOffset at)
    {
        if (at > _lastHeartbeat)
        {
            _lastHeartbeat = at;
        }

        if (state.State.Status.IsEnded() && !_leftoverStopRequested)
        {
            // A heartbeat from an engine that has ended: its node came back after the engine was given up on (its
            // resources are already released). The process must not outlive its engine.
            _leftoverStopRequested = true;
            LogLeftoverStopped(EngineId, Spec.Node);
            StopLeftover().Ignore();
        }

        return Task.CompletedTask;
    }

    private async Task StopLeftover()
    {
        await Node.Stop(EngineId, "the engine had already ended");
        await Node.Forget(EngineId);
    }

    public async Task OnProcessExited(ProcessExit exit)
    {
        if (IgnoresNodeNews())
        {
            return;
        }

        await EndAsync(exit.ToUnrequestedEndReason());
    }

    public async Task OnUnresponsive(int missedPings)
    {
        if (IgnoresNodeNews())
        {
            return;
        }

        await EndAsync(new EndReason(EndReasonKind.MissedPings, $"the engine host missed {missedPings} pings in a row and was killed"));
    }

    /// <summary>A start in progress, a shutdown under way and an end already reached each finish the engine by themselves.</summary>
    private bool IgnoresNodeNews() =>
        state.State.Spec is null || _starting || state.State.Status == EngineStatus.ShuttingDown || state.State.Status.IsEnded();

    /// <summary>Flips to ShuttingDown at once (so nothing new starts on the engine), stops its process, then ends it.</summary>
    private Task ShutDown(EndReason reason)
    {
        if (_shutdown is null)
        {
            SetStatus(EngineStatus.ShuttingDown);
            _shutdown = StopThenEnd(reason);
        }

        return _shutdown;
    }

    private async Task StopThenEnd(EndReason reason)
    {
        await StopProcess(reason.Message);
        await EndAsync(reason);
    }

    private async Task StopProcess(string reason)
    {
        try
        {
            await Node.Stop(EngineId, reason);
        }
        catch (Exception e)
        {
            LogStopFailed(EngineId, Spec.Node, e.Message);
        }
    }

    /// <summary>
    /// The one way an engine ends: process stopped, both tickets released, then the final status saved — in that
    /// order, so whoever sees the end also sees the resources back — and the node told to forget it.
    /// </summary>
    private async Task EndAsync(EndReason reason)
    {
        if (state.State.Status.IsEnded())
        {
            return;
        }

        if (reason.Kind is not (EndReasonKind.KilledByRequest or EndReasonKind.IdleTimeout))
        {
            // Failures may leave a process behind (a hung host, a start that timed out): make sure it is gone.
            await StopProcess(reason.Message);
        }

        var released = await TryReleaseResources();
        var status = reason.Kind is EndReasonKind.KilledByRequest or EndReasonKind.IdleTimeout ? EngineStatus.Success : EngineStatus.Failed;
        state.State = state.State with { Status = status, EndedAt = time.GetUtcNow(), EndReason = reason, ResourcesReleased = released };
        var saved = await TrySaveState();
        LogEnded(EngineId, status.ToString(), reason.Kind.ToString(), reason.Message);
        LinkisTelemetry.EngineEnds.Add(1, new("status", status.ToString()), new("reason", reason.Kind.ToString()));
        try
        {
            await Node.Forget(EngineId);
        }
        catch (Exception e)
        {
            LogStopFailed(EngineId, Spec.Node, e.Message);
        }

        Publish();
        if (released && saved)
        {
            StopCheckTimerAndDeactivate();
        }
    }

    /// <summary>
    /// Saves the state; when storage is out of reach the end still stands (the engine is told ended everywhere) and the
    /// check timer saves it later.
    /// </summary>
    private async Task<bool> TrySaveState()
    {
        try
        {
            await state.WriteStateAsync();
            _unsaved = false;
            return true;
        }
        catch (Exception e)
        {
            _unsaved = true;
            LogSaveFailed(EngineId, e.GetBaseException().Message);
            return false;
        }
    }

    private async Task<bool> TryReleaseResources()
    {
        try
        {
            var spec = Spec;
            await Task.WhenAll(
                GrainFactory.GetGrain<IResourceLedgerGrain>(spec.Labels.PoolKey).Release(spec.Ticket),
                GrainFactory.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(spec.Node)).Release(spec.Ticket));
            return true;
        }
        catch (Exception e)
        {
            // The check timer tries again until the ledgers have it.
            LogReleaseFailed(EngineId, e.Message);
            return false;
        }
    }

    private void StopCheckTimerAndDeactivate()
    {
        _checkTimer?.Dispose();
        _checkTimer = null;
        DeactivateOnIdle();
    }

    private void StartCheckTimer() =>
        _checkTimer ??= this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(options.Value.CheckInterval, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });

    /// <summary>
    /// Arms the check for the engine's next deadline (idle timeout, heartbeat timeout, lease end), and at the latest
    /// after <see cref="EngineOptions.CheckInterval"/>: ten thousand engines do not need ten thousand ticks a second.
    /// A deadline only ever moves later (activity, heartbeats), so a check that comes early just re-arms.
    /// </summary>
    private void ScheduleNextCheck()
    {
        if (_checkTimer is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var current = state.State;
        var next = now + options.Value.CheckInterval;
        if (current.Status.IsRunning() && current.Spec is not null)
        {
            next = Earliest(next, _lastHeartbeat + options.Value.HeartbeatTimeout + TimeSpan.FromMilliseconds(1));
            if (current.Status == EngineStatus.Idle && current.LastActivityAt is { } last)
            {
                next = Earliest(next, last + current.Spec.IdleTimeout);
            }

            if (current.Locked && current.LockExpiresAt is { } leaseEnd)
            {
                next = Earliest(next, leaseEnd);
            }
        }

        var due = next - now;
        _checkTimer.Change(due > MinCheckDelay ? due : MinCheckDelay, Timeout.InfiniteTimeSpan);
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private async Task Check(CancellationToken cancellationToken)
    {
        try
        {
            await CheckDeadlines(cancellationToken);
        }
        finally
        {
            ScheduleNextCheck();
        }
    }

    private async Task CheckDeadlines(CancellationToken cancellationToken)
    {
        var current = state.State;
        if (current.Status.IsEnded())
        {
            if (!current.ResourcesReleased && await TryReleaseResources())
            {
                state.State = state.State with { ResourcesReleased = true };
                _unsaved = true;
            }

            if (_unsaved && await TrySaveState() && state.State.ResourcesReleased)
            {
                StopCheckTimerAndDeactivate();
            }

            return;
        }

        var now = time.GetUtcNow();
        if (current.Locked && current.LockExpiresAt <= now && current.Status.IsRunning())
        {
            LogLeaseLapsed(EngineId, current.LockedBy ?? "");
            await ReleaseLease();
        }

        if (current.Status == EngineStatus.Idle && current.LastActivityAt is { } last && now - last >= Spec.IdleTimeout)
        {
            LogIdleTimeout(EngineId, Spec.IdleTimeout.TotalSeconds);
            await ShutDown(new EndReason(EndReasonKind.IdleTimeout, $"idle for longer than its idle timeout of {Resources.Quantities.FormatDuration(Spec.IdleTimeout)}"));
        }
        else if (current.Status.IsRunning() && now - _lastHeartbeat > options.Value.HeartbeatTimeout)
        {
            await EndAsync(new EndReason(EndReasonKind.HeartbeatLost,
                $"no heartbeat from node {Spec.Node} for {(now - _lastHeartbeat).TotalSeconds:0} s (limit {options.Value.HeartbeatTimeout.TotalSeconds:0} s)"));
        }
    }

    private async Task ReleaseLease()
    {
        state.State = state.State with { Locked = false, LockedBy = null, LockExpiresAt = null };
        await state.WriteStateAsync();
        Publish();
    }

    private void SetStatus(EngineStatus status)
    {
        state.State = state.State with { Status = status };
        Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_counted is { } counted && !counted.IsEnded())
        {
            LinkisTelemetry.Engines.Add(-1, new("status", counted.ToString()), new("node", Spec.Node));
        }

        return Task.CompletedTask;
    }

    /// <summary>Keeps the engines-by-status metric in step with this engine's status.</summary>
    private void CountStatus()
    {
        var current = state.State.Spec is null ? (EngineStatus?)null : state.State.Status;
        if (current == _counted)
        {
            return;
        }

        if (_counted is { } previous && !previous.IsEnded())
        {
            LinkisTelemetry.Engines.Add(-1, new("status", previous.ToString()), new("node", Spec.Node));
        }

        if (current is { } now && !now.IsEnded())
        {
            LinkisTelemetry.Engines.Add(1, new("status", now.ToString()), new("node", Spec.Node));
        }

        _counted = current;
    }

    private void Publish()
    {
        CountStatus();
        var info = ToInfo();
        GrainFactory.GetGrain<IEngineDirectoryGrain>(0).Publish(info).Ignore();
        GrainFactory.GetGrain<IEnginePoolGrain>(Spec.Labels.PoolKey).OnEngineChanged(EngineId, info.Status, info.Locked).Ignore();
    }

    private EngineInfo ToInfo()
    {
        var s = state.State;
        var spec = Spec;
        return new EngineInfo
        {
            EngineId = EngineId,
            Status = s.Status,
            Locked = s.Locked,
            LockedBy = s.LockedBy,
            Node = spec.Node,
            UserCreator = spec.Labels.UserCreator.ToString(),
            EngineType = spec.Labels.EngineType.ToString(),
            User = spec.Labels.UserCreator.User,
            Pid = s.Pid,
            Resources = spec.Resources,
            CreatedAt = s.CreatedAt,
            ReadyAt = s.ReadyAt,
            LastActivityAt = s.LastActivityAt,
            EndedAt = s.EndedAt,
            EndReason = s.EndReason,
            IdleTimeout = spec.IdleTimeout,
            ExecutionCount = s.ExecutionCount,
            LockExpiresAt = s.LockExpiresAt,
        };
    }
}
