using System.Diagnostics;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Telemetry;
using Linkis.Orleans.Grains.WarmPools;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// One engine's lifecycle. The persisted <see cref="EngineStatus"/> moves so:
/// <code>
///   Start ─▶ Starting ──BecomeReady──▶ Idle ⇄ Busy ──ShutDown (kill, idle timeout, drain, lifetime)──▶ ShuttingDown ──End──▶ Success
///             │   └─────────────── ShutDown (kill while starting) ───────────────────────────────▲
///             │                       │      │ BecomeUnreachable (node lost, or not answering)   │ kill, drain
///             │                       │      ▼                                                   │
///             │                       │   Unreachable ──BecomeReachable (a heartbeat again)──▶ Idle (Busy with an execution to go on with)
///             │                       │      │ End (not back within Linkis:Node:LostGrace)
///             └── End (start failed / timed out / cancelled; process exited, missed pings, heartbeat lost, node lost) ──▶ Failed
/// </code>
/// and this activation's <see cref="Phase"/> says what it is doing about it. Every end goes through <see cref="End"/>,
/// the one place that stops the process, releases both ledger tickets and forgets the engine on its node — so no
/// path can leak. Kill, GetInfo, Heartbeat and the check timer interleave with a running execution or start; they
/// only move the phase first, and the continuation that was waiting respects it. While it runs, its node's heartbeats
/// come batched, without a call, into its slot on its silo's <see cref="EngineHeartbeatBoard"/>, which also watches
/// its deadlines and wakes it when one comes; in any other phase it asks for each heartbeat as a call.
/// </summary>
public sealed partial class EngineConnGrain(
    [PersistentState("engine", StorageNames.Linkis)] IPersistentState<EngineState> state,
    IOptions<EngineOptions> options,
    IOptions<NodeOptions> nodeOptions,
    EngineHeartbeatBoard heartbeatBoard,
    ILocalSiloDetails silo,
    ILinkisEventPublisher events,
    TimeProvider time,
    ILogger<EngineConnGrain> logger) : Grain, IEngineConnGrain, IEngineLifecycle
{
    /// <summary>What this activation is doing with its engine; the persisted status says where the engine is.</summary>
    private enum Phase
    {
        /// <summary>No engine has this id.</summary>
        Unborn,

        /// <summary>A start call is launching the engine and waiting for it; node news waits for the start to finish.</summary>
        Starting,

        /// <summary>Idle or Busy: the check timer watches its idle, heartbeat and lease deadlines.</summary>
        Running,

        /// <summary>Its node is out of reach; its host may still run. A heartbeat brings it back, the lost grace ends it.</summary>
        Unreachable,

        /// <summary>Stopping its process after a kill or an idle timeout; <see cref="_shutdown"/> ends it.</summary>
        ShuttingDown,

        /// <summary>Ended, but the end is not saved or its tickets are not released yet: the check timer retries.</summary>
        Settling,

        /// <summary>Ended and settled; the activation may go.</summary>
        Ended,

        /// <summary>Ended, and its node turned out to still run its process (it came back): stopping that once.</summary>
        StoppingLeftover,
    }

    private static readonly TimeSpan MinCheckDelay = TimeSpan.FromMilliseconds(10);

    // A timer's due time must fit in 32 bits of milliseconds; an idle timeout may be longer (it is re-armed on arrival).
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromDays(24);

    // An Unreachable engine ends itself this long after its node's grace: its node's watch, which knows why the node
    // is lost, normally ends it first.
    private static readonly TimeSpan OwnLostGraceMargin = TimeSpan.FromSeconds(30);

    // How long a heartbeat-less engine waits for its node to say whether it still runs it.
    private static readonly TimeSpan NodeProbeTimeout = TimeSpan.FromSeconds(10);

    // Past its start timeout a start call still stops a failed process (at most a kill grace) and ends the engine.
    private static readonly TimeSpan StartBackstop = TimeSpan.FromSeconds(ServiceLimits.MaxKillGraceSeconds + ServiceLimits.CallMarginSeconds);
    private Phase _phase;
    private IGrainTimer? _checkTimer;
    private DateTimeOffset _lastHeartbeat;

    // Only a heartbeat heard while Unreachable brings the engine back: not one from before, and not the activation time
    // a grain gets when the node watch's call activates it again on another silo (later than the loss it is told of).
    private bool _heardWhileUnreachable;

    // Where its node's batched heartbeats land (see EngineHeartbeatBoard); read when a heartbeat deadline comes.
    private EngineHeartbeatSlot? _heartbeats;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task? _shutdown;
    private Task? _ending;
    private EngineStatus? _counted;

    // Set by a drain while the engine is busy: it stops when its execution ends.
    private string? _retiring;

    // Set when an execution showed the engine itself broken: it steps aside and stops when that execution ends.
    private string? _unhealthy;

    private string EngineId => this.GetPrimaryKeyString();

    private EngineStartSpec Spec => state.State.Spec ?? throw new InvalidOperationException($"engine {EngineId} was never started");

    private INodeManagerGrain Node => GrainFactory.GetGrain<INodeManagerGrain>(Spec.Node);

    private INodeWatchGrain Watch => GrainFactory.GetGrain<INodeWatchGrain>(Spec.Node);

    /// <summary>Its node cannot be reached: calls to it would only wait out placement and time-outs.</summary>
    private bool NodeOutOfReach => state.State.UnreachableSince is not null;

    private bool IsEnded => _phase is Phase.Settling or Phase.Ended or Phase.StoppingLeftover;

    /// <summary>What its node's watch asks: the engine exists and has not ended, so its fate still follows the node's.</summary>
    private bool StillOnNode => _phase is not Phase.Unborn && !IsEnded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastHeartbeat = time.GetUtcNow();
        var current = state.State;
        Enter(current switch
        {
            { Spec: null } => Phase.Unborn,
            { Status: EngineStatus.Success or EngineStatus.Failed, ResourcesReleased: true } => Phase.Ended,
            { Status: EngineStatus.Success or EngineStatus.Failed } => Phase.Settling,
            { Status: EngineStatus.Starting } => Phase.Starting,
            { Status: EngineStatus.Unreachable } => Phase.Unreachable,
            _ => Phase.Running,
        });

        if (_phase is Phase.Running && current.Status != EngineStatus.Idle)
        {
            // Saved mid-execution or mid-shutdown by a lease change: no execution survives a new activation.
            state.State = current with { Status = EngineStatus.Idle };
        }

        if (_phase is not (Phase.Unborn or Phase.Ended))
        {
            StartCheckTimer();
        }

        CountStatus();
        _toldStatus = current.Spec is null ? null : state.State.Status;
        if (_phase is Phase.Starting)
        {
            // A start that a silo restart cut short: nobody will finish it, so end it (after activation, since ending
            // calls the node, which may itself be activating).
            this.RegisterGrainTimer(
                () => End(new EndReason(EndReasonKind.StartFailed, "the silo restarted while the engine was starting")),
                new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        _inherited = [.. Executions.Where(e => !e.Info.IsFinished).Select(e => e.Info.ExecutionId)];
        if (_phase is Phase.Running && NextToRun() is not null)
        {
            // Executions its last activation did not finish (its silo died): sent again by id, once activated.
            this.RegisterGrainTimer(() => { RunQueued(); return Task.CompletedTask; }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { Interleave = true });
        }

        // Last, so that no slot outlives an activation that failed.
        _heartbeats = heartbeatBoard.Register(EngineId);
        Enter(_phase);
        return Task.CompletedTask;
    }

    /// <summary>Moves to <paramref name="phase"/>. Only a running engine lets batched heartbeats stand in for heartbeat calls.</summary>
    private void Enter(Phase phase)
    {
        _phase = phase;
        if (_heartbeats is { } slot)
        {
            slot.WantsCalls = phase is not Phase.Running;
            if (phase is not Phase.Running)
            {
                slot.Unwatch();
            }
        }

        // A running engine may go for hours without a call or a timer tick (its silo's board watches its deadlines):
        // it stays active for as long as it runs, as its check timer used to keep it.
        DelayDeactivation(phase is Phase.Running ? Timeout.InfiniteTimeSpan : TimeSpan.Zero);
    }

    // ---- Start: Unborn → Starting → Running | ended ----

    public async Task<StartResult> Start(EngineStartSpec spec, CancellationToken cancellationToken)
    {
        NodePlacementHint.Drop();
        if (_phase is not Phase.Unborn)
        {
            return new StartResult(ToInfo(), null);
        }

        using var activity = LinkisTelemetry.Source.StartActivity("linkis.engine.start");
        activity?.SetTag("linkis.engine.id", EngineId);
        activity?.SetTag("linkis.node", spec.Node);
        var started = time.GetTimestamp();
        var result = await StartCore(spec, cancellationToken);
        var ready = result.Error is null;
        LinkisTelemetry.EngineStartDuration.Record(time.GetElapsedTime(started).TotalMilliseconds,
            new("engine_type", spec.Labels.EngineType.ToString()), new("outcome", ready ? "ready" : "failed"));
        if (!ready)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Error!.Detail);
        }

        return result;
    }

    private async Task<StartResult> StartCore(EngineStartSpec spec, CancellationToken cancellationToken)
    {
        state.State = new EngineState { Spec = spec, Status = EngineStatus.Starting, CreatedAt = time.GetUtcNow(), WarmPool = spec.WarmPool, Sharers = spec.Sharers };
        try
        {
            // Not cancelled with the ask: whether the engine exists must not be left half-written.
            await WriteState();
        }
        catch (Exception e)
        {
            // Nothing was launched and nothing was told: this engine never existed. The asker releases its tickets.
            state.State = new EngineState();
            DeactivateOnIdle();
            LogStartUnavailable(e, EngineId, "saving its Starting status");
            throw;
        }

        Enter(Phase.Starting);
        Publish();
        StartCheckTimer();
        try
        {
            return await LaunchAndWait(spec, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Its asker went away: the engine must not be left running unowned.
            await End(new EndReason(EndReasonKind.StartFailed, "the start was cancelled: its asker went away"));
            return Failed(new LinkisError(LinkisErrorKind.Unavailable, "The ask was cancelled", "The asker went away before the engine was ready; the engine was stopped."));
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // The cluster or its storage failed under a launched engine. What the asker hears is the cause, not a
            // failed start.
            LogStartUnavailable(e, EngineId, "starting it");
            await End(new EndReason(EndReasonKind.StartFailed, $"the start could not be completed: {TransientFailures.Describe(e)}"));
            return Failed(TransientFailures.ToError(e, "The engine could not be started"));
        }
        catch (Exception e)
        {
            // A bug: the engine still ends, its process stopped and its tickets released, before the asker hears of it.
            LogStartBroke(e, EngineId);
            await End(new EndReason(EndReasonKind.StartFailed, "the start failed unexpectedly; the silo's log says why"));
            throw;
        }
    }

    private async Task<StartResult> LaunchAndWait(EngineStartSpec spec, CancellationToken cancellationToken)
    {
        var launch = await Node.Launch(new EngineHostLaunch(EngineId, spec.Labels.UserCreator.User, spec.Launch, spec.Properties, spec.Resources));
        if (launch.Error is { } error)
        {
            await End(new EndReason(EndReasonKind.StartFailed, error.Detail));
            return Failed(error.Kind == LinkisErrorKind.StartFailed ? StartFailedError() : error) with { NodeFault = launch.NodeFault };
        }

        if (_phase is not Phase.Starting)
        {
            // Killed while its node was launching it: the kill may have found nothing to stop yet.
            await StopProcess("the engine was killed while it started");
            await Node.Forget(EngineId);
            return KilledWhileStarting();
        }

        state.State = state.State with { Pid = launch.Pid, RunAs = launch.RunAs };
        var ready = await Node.WaitUntilReady(EngineId, spec.StartTimeout, cancellationToken);
        if (_phase is not Phase.Starting)
        {
            // Killed while it got ready: the kill finishes the job.
            return KilledWhileStarting();
        }

        if (!ready.Ready)
        {
            var reason = ready.Failure ?? new EndReason(EndReasonKind.StartFailed, "the engine did not become ready");
            await End(reason);
            return reason.Kind == EndReasonKind.StartTimeout
                ? Failed(new LinkisError(LinkisErrorKind.Timeout, "The engine did not become ready in time", EndedDetail(), LogTail: ready.LogTail))
                : Failed(StartFailedError(ready.LogTail)) with { NodeFault = true };
        }

        var confirmed = await Task.WhenAll(Booking(spec.UserLedgerKey).Confirm(spec.Ticket), Booking(LedgerKeys.ForNode(spec.Node)).Confirm(spec.Ticket));
        if (_phase is not Phase.Starting)
        {
            // Killed while its tickets were confirmed: the kill releases them.
            return KilledWhileStarting();
        }

        if (!confirmed.All(c => c))
        {
            await End(new EndReason(EndReasonKind.StartFailed, $"its resource lock expired before it was ready; raise {EngineOptions.SectionName}:LockTtl"));
            return Failed(StartFailedError());
        }

        return await BecomeReady(ready.Pid) ? new StartResult(ToInfo(), null) : KilledWhileStarting();
    }

    /// <summary>
    /// Starting → Idle: saved before anyone is told, so a restarted silo finds it running. False when a kill came
    /// while it was saved: the kill's end then stands, and nobody is told the engine is ready.
    /// </summary>
    private async Task<bool> BecomeReady(int? pid)
    {
        var now = time.GetUtcNow();
        _lastHeartbeat = now;
        var lease = Spec.LockedBy is { } owner
            ? new { Locked = true, LockedBy = (string?)owner, LockExpiresAt = (DateTimeOffset?)(now + options.Value.LockLease) }
            : new { Locked = false, LockedBy = (string?)null, LockExpiresAt = (DateTimeOffset?)null };
        state.State = state.State with
        {
            Status = EngineStatus.Idle,
            Pid = pid,
            ReadyAt = now,
            LastActivityAt = now,
            Locked = lease.Locked,
            LockedBy = lease.LockedBy,
            LockExpiresAt = lease.LockExpiresAt,
        };
        await WriteState();
        if (_phase is not Phase.Starting)
        {
            return false;
        }

        Enter(Phase.Running);
        Publish();
        ScheduleNextCheck();
        LogReady(EngineId, Spec.Node, pid ?? 0, (now - state.State.CreatedAt).TotalMilliseconds);
        return true;
    }

    private StartResult Failed(LinkisError error) => new(ToInfo(), error);

    private StartResult KilledWhileStarting() =>
        Failed(new LinkisError(LinkisErrorKind.Conflict, "The engine was killed while it started", EndedDetail()));

    private LinkisError StartFailedError(IReadOnlyList<string>? logTail = null) =>
        new(LinkisErrorKind.StartFailed, "The engine failed to start", EndedDetail(), LogTail: logTail);

    private string EndedDetail() => $"engine {EngineId} on node {Spec.Node}: {state.State.EndReason?.Message ?? state.State.Status.ToString()}";

    // ---- what clients do with a running engine ----

    public Task<EngineInfo?> GetInfo() => Task.FromResult(_phase is Phase.Unborn ? null : ToInfo());

    /// <summary>Busy → Idle (unless a kill or an end came meanwhile); the execution renews the lease.</summary>
    private void FinishExecution()
    {
        var now = time.GetUtcNow();
        state.State = state.State with
        {
            LastActivityAt = now,
            ExecutionCount = state.State.ExecutionCount + 1,
            LockExpiresAt = state.State.Locked ? now + options.Value.LockLease : null,
        };
        if (_phase is Phase.Running)
        {
            // A retiring engine goes from Busy straight to ShuttingDown, so no ask is handed it in between.
            if (RetireAfterExecution(now) is { } retire)
            {
                ShutDown(retire).Ignore();
                return;
            }

            // With more to run it stays Busy: the next one starts at once.
            if (NextToRun() is null)
            {
                SetStatus(EngineStatus.Idle);
                // Idle from now: its idle timeout is a deadline again.
                ScheduleNextCheck();
            }
        }
    }

    /// <summary>Why the engine should not run another execution: unhealthy, drained, out of executions, or past its lifetime.</summary>
    private EndReason? RetireAfterExecution(DateTimeOffset now)
    {
        if (JobEnd() is { } jobDone)
        {
            return jobDone;
        }

        if (_unhealthy is { } broken)
        {
            return new EndReason(EndReasonKind.Unhealthy, broken);
        }

        if (_retiring is { } why)
        {
            return new EndReason(EndReasonKind.Drained, why);
        }

        if (Spec.MaxExecutions is { } most && state.State.ExecutionCount >= most)
        {
            return new EndReason(EndReasonKind.MaxExecutions, $"ran {state.State.ExecutionCount} executions, its maxExecutions");
        }

        return PastLifetime(now);
    }

    private EndReason? PastLifetime(DateTimeOffset now) =>
        Spec.MaxLifetime is { } lifetime && now - state.State.CreatedAt >= lifetime
            ? new EndReason(EndReasonKind.MaxLifetime, $"older than its maxLifetime of {Quantities.FormatDuration(lifetime)}")
            : null;

    public async Task<EngineInfo?> Kill(string by)
    {
        if (_phase is Phase.Unborn)
        {
            return null;
        }

        if (!IsEnded)
        {
            LogKillRequested(EngineId, by);
            await ShutDown(EndReason.Killed(by));
        }

        return ToInfo();
    }

    public async Task<EngineInfo?> HandOut()
    {
        if (_phase is Phase.Unborn)
        {
            return null;
        }

        if (state.State.WarmPool is not { } warmPool || _phase is not Phase.Running)
        {
            return ToInfo();
        }

        var current = state.State;
        state.State = current with { WarmPool = null, LastActivityAt = time.GetUtcNow() };
        try
        {
            await WriteState();
        }
        catch
        {
            // Still in reserve as saved; the ask that was to be handed it hears the failure.
            state.State = state.State with { WarmPool = current.WarmPool, LastActivityAt = current.LastActivityAt };
            throw;
        }

        LogHandedOut(EngineId, warmPool);
        Publish();
        ScheduleNextCheck();
        GrainFactory.GetGrain<IWarmPool>(warmPool).Changed(EngineId).Ignore();
        return ToInfo();
    }

    public Task<EngineInfo?> AddSharer(string user)
    {
        if (_phase is Phase.Unborn)
        {
            return Task.FromResult<EngineInfo?>(null);
        }

        // Only an engine that can still be handed out is shared; one that is ending shares nothing more.
        if (_phase is Phase.Running && !state.State.Sharers.Contains(user, StringComparer.Ordinal))
        {
            // Kept in memory and saved with the engine's next write: this call interleaves with an execution, and two
            // writes of one state must not race. A restart before that write forgets the sharer until it is handed the
            // engine again.
            state.State = state.State with { Sharers = [.. state.State.Sharers, user] };
            Publish();
        }

        return Task.FromResult<EngineInfo?>(ToInfo());
    }

    public async Task<bool> Lock(string by)
    {
        var current = state.State;
        if (_phase is not Phase.Running || (current.Locked && current.LockedBy != by))
        {
            return false;
        }

        state.State = current with { Locked = true, LockedBy = by, LockExpiresAt = time.GetUtcNow() + options.Value.LockLease };
        try
        {
            await WriteState();
        }
        catch
        {
            // The asker hears that the lease failed; the engine must not stay leased to it in memory.
            state.State = state.State with { Locked = current.Locked, LockedBy = current.LockedBy, LockExpiresAt = current.LockExpiresAt };
            throw;
        }

        Publish();
        ScheduleNextCheck();
        return true;
    }

    public async Task<EngineInfo?> Unlock(string by)
    {
        if (_phase is Phase.Unborn)
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

    private async Task ReleaseLease()
    {
        state.State = state.State with { Locked = false, LockedBy = null, LockExpiresAt = null };
        await WriteState();
        Publish();
    }

    public async Task<EngineLog> ReadLog(string stream, int tail) =>
        _phase is Phase.Unborn
            ? new EngineLog(EngineId, stream, [], LinkisError.EngineNotFound(EngineId))
            : await Node.ReadLog(EngineId, stream, tail);

    // ---- what the node reports ----

    public Task CheckHeartbeat() => Check(CancellationToken.None);

    public Task<string?> Heartbeat(DateTimeOffset at)
    {
        if (at > _lastHeartbeat)
        {
            _lastHeartbeat = at;
        }

        if (_phase is Phase.Unreachable)
        {
            // Its node is back: the check moves it back off this interleaved turn.
            _heardWhileUnreachable = true;
            _checkTimer?.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        if (_phase is Phase.Ended)
        {
            // A heartbeat from an engine that has ended and settled: its node came back after the engine was given
            // up on (its resources are already released). The process must not outlive its engine. (While it settles,
            // a heartbeat sent before the end is no news: the end stops the process and its node forgets it.)
            StopLeftover().Ignore();
        }

        return Task.FromResult(_phase is Phase.Running ? silo.Name : null);
    }

    /// <summary>Ended → StoppingLeftover → Ended: the node stops the process it still runs, and forgets it.</summary>
    private async Task StopLeftover()
    {
        Enter(Phase.StoppingLeftover);
        LogLeftoverStopped(EngineId, Spec.Node);
        try
        {
            await Node.Stop(EngineId, "the engine had already ended");
            await Node.Forget(EngineId);
        }
        finally
        {
            if (_phase is Phase.StoppingLeftover)
            {
                Enter(Phase.Ended);
            }
        }
    }

    public async Task OnProcessExited(ProcessExit exit)
    {
        if (_phase is Phase.Running or Phase.Unreachable)
        {
            // Whoever tells this is its node, so the node is in reach again.
            state.State = state.State with { UnreachableSince = null };
            await AwaitJobResult();
            await End(exit.ToUnrequestedEndReason());
        }
    }

    public async Task OnUnresponsive(int missedPings)
    {
        if (_phase is Phase.Running or Phase.Unreachable)
        {
            state.State = state.State with { UnreachableSince = null };
            await End(new EndReason(EndReasonKind.MissedPings, $"the engine host missed {missedPings} pulses in a row (one per ping interval) and was killed"));
        }
    }

    // ---- node loss and drain ----

    public async Task<bool> OnNodeLost(string node, DateTimeOffset since)
    {
        if (_phase is Phase.Running)
        {
            await BecomeUnreachable(since, $"node {node} was declared dead");
        }

        return StillOnNode;
    }

    public async Task<bool> OnNodeGone(string reason)
    {
        if (_phase is Phase.Running or Phase.Unreachable)
        {
            state.State = state.State with { UnreachableSince = state.State.UnreachableSince ?? time.GetUtcNow() };
            await End(new EndReason(EndReasonKind.NodeLost, reason));
        }

        return StillOnNode;
    }

    public async Task<bool> Retire(string reason, bool evenIfBusy)
    {
        _retiring ??= reason;
        var stopNow = _phase switch
        {
            Phase.Unreachable => true,
            Phase.Running => evenIfBusy || state.State.Status == EngineStatus.Idle,
            Phase.Starting => evenIfBusy,
            _ => false,
        };
        if (stopNow)
        {
            await ShutDown(new EndReason(EndReasonKind.Drained, reason));
        }

        return StillOnNode;
    }

    /// <summary>Running → Unreachable: saved, so a new activation knows; not reused, executions refused, until the node is back.</summary>
    private async Task BecomeUnreachable(DateTimeOffset since, string why)
    {
        Enter(Phase.Unreachable);
        _heardWhileUnreachable = false;
        state.State = state.State with { Status = EngineStatus.Unreachable, UnreachableSince = since };
        LogUnreachable(EngineId, Spec.Node, why);
        Publish();
        await TrySaveState();
        ScheduleNextCheck();
    }

    /// <summary>Unreachable → Running (Idle): its node answered for it again, with its state and process intact.</summary>
    private async Task BecomeReachable()
    {
        var since = state.State.UnreachableSince;
        Enter(Phase.Running);
        // Busy while it has an execution to go on with: it is sent again below, and attached to where its host runs it.
        var status = NextToRun() is null ? EngineStatus.Idle : EngineStatus.Busy;
        state.State = state.State with { Status = status, UnreachableSince = null, LastActivityAt = time.GetUtcNow() };
        LogReachable(EngineId, Spec.Node, since is { } s ? (time.GetUtcNow() - s).TotalSeconds : 0);
        if (_unhealthy is { } broken)
        {
            // Its execution showed it broken while its node was out of reach: back, it still steps aside.
            await ShutDown(new EndReason(EndReasonKind.Unhealthy, broken));
            return;
        }

        Publish();
        await TrySaveState();
        await SendUndeliveredCancels();
        // What it ran or had waiting while its node was away: sent again by id, attached to where its host still runs it.
        RunQueued();
    }

    /// <summary>
    /// No heartbeat for the heartbeat timeout: a lost node makes the engine Unreachable, a node that answers without
    /// it ends it, a node that answers for it keeps it, and a node that does not answer makes it Unreachable.
    /// </summary>
    private async Task LoseHeartbeat(DateTimeOffset now)
    {
        var silence = $"no heartbeat from node {Spec.Node} for {(now - _lastHeartbeat).TotalSeconds:0} s (limit {options.Value.HeartbeatTimeout.TotalSeconds:0} s)";
        bool? hasIt;
        try
        {
            if (await Watch.GetLostSince() is { } lostSince)
            {
                await BecomeUnreachable(lostSince, $"node {Spec.Node} is lost");
                return;
            }

            hasIt = await Node.HasEngine(EngineId).WaitAsync(NodeProbeTimeout);
        }
        catch (Exception e) when (e is TimeoutException || TransientFailures.IsTransient(e))
        {
            hasIt = null;
        }

        switch (hasIt)
        {
            case true:
                _lastHeartbeat = now;
                LogHeartbeatsMissing(EngineId, Spec.Node, silence);
                break;
            case null:
                await BecomeUnreachable(_lastHeartbeat, $"{silence}, and the node does not answer");
                break;
            default:
                await End(new EndReason(EndReasonKind.HeartbeatLost, $"{silence}, and the node does not run it"));
                break;
        }
    }

    // ---- the end ----

    /// <summary>Running → ShuttingDown at once (so nothing new starts on the engine), then its process stops and it ends.</summary>
    private Task ShutDown(EndReason reason)
    {
        if (_shutdown is null)
        {
            Enter(Phase.ShuttingDown);
            SetStatus(EngineStatus.ShuttingDown);
            _shutdown = StopThenEnd(reason);
        }

        return _shutdown;
    }

    private async Task StopThenEnd(EndReason reason)
    {
        await StopProcess(reason.Message);
        await End(reason);
    }

    private async Task StopProcess(string reason)
    {
        if (NodeOutOfReach)
        {
            // Its host stops itself after its orphan grace, or is stopped by its node if that comes back first.
            return;
        }

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
    /// order, so whoever sees the end also sees the resources back — and the node told to forget it. What storage or
    /// the ledgers refuse now, the check timer does later (<see cref="Phase.Settling"/>). One end only: a second
    /// reason that comes while the first is under way (a process exit during a kill) waits for the first.
    /// </summary>
    private Task End(EndReason reason) => IsEnded ? Task.CompletedTask : _ending ??= EndOnce(JobEndFor(reason));

    private async Task EndOnce(EndReason reason)
    {
        var requested = reason.Kind is EndReasonKind.KilledByRequest or EndReasonKind.IdleTimeout or EndReasonKind.Drained
            or EndReasonKind.MaxLifetime or EndReasonKind.MaxExecutions or EndReasonKind.JobFinished;
        if (!requested)
        {
            // Failures may leave a process behind (a hung host, a start that timed out): make sure it is gone.
            await StopProcess(reason.Message);
        }

        var released = await TryReleaseResources();
        AbandonExecutions(reason);
        var status = requested ? EngineStatus.Success : EngineStatus.Failed;
        state.State = state.State with { Status = status, EndedAt = time.GetUtcNow(), EndReason = reason, ResourcesReleased = released };
        Enter(Phase.Settling);
        var saved = await TrySaveState();
        LogEnded(EngineId, status.ToString(), reason.Kind.ToString(), reason.Message);
        LinkisTelemetry.EngineEnds.Add(1, new("status", status.ToString()), new("reason", reason.Kind.ToString()));
        if (!NodeOutOfReach)
        {
            try
            {
                await Node.Forget(EngineId);
            }
            catch (Exception e)
            {
                LogStopFailed(EngineId, Spec.Node, e.Message);
            }
        }

        Publish();
        if (state.State.WarmPool is { } warmPool)
        {
            // It ended in reserve: its warm pool starts another.
            GrainFactory.GetGrain<IWarmPool>(warmPool).Changed(EngineId).Ignore();
        }

        if (released && saved)
        {
            Settled();
        }
    }

    /// <summary>Settling → Ended: nothing of the engine is left to do here.</summary>
    private void Settled()
    {
        Enter(Phase.Ended);
        _checkTimer?.Dispose();
        _checkTimer = null;
        DeactivateOnIdle();
    }

    /// <summary>Settling: release what the ledgers refused and save what storage refused, until both have it.</summary>
    private async Task Settle()
    {
        if (!state.State.ResourcesReleased && await TryReleaseResources())
        {
            state.State = state.State with { ResourcesReleased = true };
        }

        if (await TrySaveState() && state.State.ResourcesReleased)
        {
            Settled();
        }
    }

    /// <summary>
    /// Saves the state, one write at a time: executions end off any request's turn, and two writes in flight at once
    /// would carry the same version, one of them refused.
    /// </summary>
    private async Task WriteState()
    {
        await _writeLock.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<bool> TrySaveState()
    {
        try
        {
            await WriteState();
            return true;
        }
        catch (Exception e)
        {
            LogSaveFailed(EngineId, e.GetBaseException().Message);
            return false;
        }
    }

    private async Task<bool> TryReleaseResources()
    {
        try
        {
            var spec = Spec;
            await Task.WhenAll(Booking(spec.UserLedgerKey).Release(spec.Ticket), Booking(LedgerKeys.ForNode(spec.Node)).Release(spec.Ticket));
            return true;
        }
        catch (Exception e)
        {
            LogReleaseFailed(EngineId, e.Message);
            return false;
        }
    }

    private IResourceLedgerBooking Booking(string ledgerKey) => GrainFactory.GetGrain<IResourceLedgerBooking>(ledgerKey);

    // ---- deadlines ----

    private void StartCheckTimer() =>
        _checkTimer ??= this.RegisterGrainTimer(Check, new GrainTimerCreationOptions(options.Value.CheckInterval, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });

    /// <summary>
    /// Arms the check for the engine's next deadline (idle timeout, heartbeat timeout, lease end), and at the latest
    /// after <see cref="EngineOptions.CheckInterval"/>. While it runs on batched heartbeats it hands them to its silo's
    /// board instead (<see cref="EngineHeartbeatSlot.Watch"/>), which wakes it when one passes, and holds no timer:
    /// ten thousand engines would be ten thousand timers. A deadline only ever moves later (activity, heartbeats), so
    /// a check that comes early just re-arms.
    /// </summary>
    private void ScheduleNextCheck()
    {
        if (_checkTimer is null)
        {
            return;
        }

        CatchUpOnHeartbeats();
        var now = time.GetUtcNow();
        var current = state.State;
        DateTimeOffset? own = null;
        if (_phase is Phase.Running)
        {
            if (current.Status == EngineStatus.Idle && current.LastActivityAt is { } last)
            {
                if (current.WarmPool is null)
                {
                    own = Earliest(own, last + Spec.IdleTimeout);
                }

                if (Spec.MaxLifetime is { } lifetime)
                {
                    own = Earliest(own, current.CreatedAt + lifetime);
                }
            }

            if (current.Locked && current.LockExpiresAt is { } leaseEnd)
            {
                own = Earliest(own, leaseEnd);
            }

            if (_heartbeats is { WantsCalls: false } slot)
            {
                slot.Watch(_lastHeartbeat, own);
                _checkTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        var next = Earliest(own, now + options.Value.CheckInterval);
        if (_phase is Phase.Unreachable && current.UnreachableSince is { } lostSince)
        {
            next = Earliest(next, lostSince + nodeOptions.Value.LostGrace + OwnLostGraceMargin);
        }

        if (_phase is Phase.Running)
        {
            next = Earliest(next, _lastHeartbeat + options.Value.HeartbeatTimeout + TimeSpan.FromMilliseconds(1));
        }

        var due = next - now;
        _checkTimer.Change(due > MinCheckDelay ? (due < MaxTimerDue ? due : MaxTimerDue) : MinCheckDelay, Timeout.InfiniteTimeSpan);
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } first && first < b ? first : b;

    /// <summary>Takes in the newest heartbeat its node relayed in a batch, which came without a call.</summary>
    private void CatchUpOnHeartbeats()
    {
        if (_heartbeats?.Latest is { } relayed && relayed > _lastHeartbeat)
        {
            _lastHeartbeat = relayed;
        }
    }

    private async Task Check(CancellationToken cancellationToken)
    {
        try
        {
            await CheckDeadlines();
        }
        finally
        {
            ScheduleNextCheck();
        }
    }

    private async Task CheckDeadlines()
    {
        if (_phase is Phase.Settling)
        {
            await Settle();
            return;
        }

        CatchUpOnHeartbeats();
        var current = state.State;
        var now = time.GetUtcNow();
        if (_phase is Phase.Starting && now - current.CreatedAt > Spec.StartTimeout + StartBackstop)
        {
            // The start call is bounded by the start timeout; one that has not finished long after it never will.
            await End(new EndReason(EndReasonKind.StartTimeout, $"its start did not finish within its start timeout of {Quantities.FormatDuration(Spec.StartTimeout)}"));
            return;
        }

        if (_phase is Phase.Unreachable)
        {
            if (_heardWhileUnreachable)
            {
                await BecomeReachable();
            }
            else if (current.UnreachableSince is { } since && now - since >= nodeOptions.Value.LostGrace + OwnLostGraceMargin)
            {
                // The node watch ends lost engines; this is the engine's own backstop when its node is alive in
                // membership but has not answered for it since.
                await End(new EndReason(EndReasonKind.NodeLost,
                    $"node {Spec.Node} has not answered for it since {since:u}, longer than {Quantities.FormatDuration(nodeOptions.Value.LostGrace)} ({NodeOptions.SectionName}:LostGrace)"));
            }

            return;
        }

        if (_phase is not Phase.Running)
        {
            return;
        }

        if (current.Locked && current.LockExpiresAt <= now)
        {
            LogLeaseLapsed(EngineId, current.LockedBy ?? "");
            await ReleaseLease();
        }

        if (current.Status == EngineStatus.Idle && PastLifetime(now) is { } pastLifetime)
        {
            await ShutDown(pastLifetime);
        }
        else if (current is { Status: EngineStatus.Idle, WarmPool: null, LastActivityAt: { } last } && now - last >= Spec.IdleTimeout)
        {
            LogIdleTimeout(EngineId, Spec.IdleTimeout.TotalSeconds);
            var idle = $"idle for longer than its idle timeout of {Quantities.FormatDuration(Spec.IdleTimeout)}";
            await ShutDown(current.StateLost
                ? new EndReason(EndReasonKind.Unhealthy, $"its executor was restarted to stop an execution, losing its session state; {idle}")
                : new EndReason(EndReasonKind.IdleTimeout, idle));
        }
        else if (now - _lastHeartbeat > options.Value.HeartbeatTimeout)
        {
            await LoseHeartbeat(now);
        }
    }

    // ---- what others see ----

    private void SetStatus(EngineStatus status)
    {
        state.State = state.State with { Status = status };
        Publish();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_heartbeats is { } slot)
        {
            // Its node's next batch for it comes back unserved, so the node calls it and learns where it lives then.
            heartbeatBoard.Unregister(EngineId, slot);
            _heartbeats = null;
        }

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
        GrainFactory.GetGrain<IEngineDirectoryWriter>(0).Publish(info).Ignore();
        TellStatus(info);
        if (info.Status != EngineStatus.Starting)
        {
            // The pool counts a starting engine from the ask's creation slot, and takes it in only once it is ready.
            GrainFactory.GetGrain<IEnginePoolGrain>(Spec.Labels.PoolKey).OnEngineChanged(EngineId, info.Status, info.Locked, info.Node, info.WarmPool is not null, info.StateLost || info.Job).Ignore();
        }
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
            RunAs = s.RunAs,
            UnreachableSince = s.Status == EngineStatus.Unreachable ? s.UnreachableSince : null,
            WarmPool = s.WarmPool,
            StateLost = s.StateLost,
            Job = spec.Job,
            Share = spec.Share,
            Sharers = s.Sharers,
            Properties = spec.Properties.ToDictionary(
                p => p.Key, p => new PropertyValue(p.Value, spec.PropertySources.GetValueOrDefault(p.Key, PropertyValue.FromAsk)), StringComparer.Ordinal),
        };
    }
}
