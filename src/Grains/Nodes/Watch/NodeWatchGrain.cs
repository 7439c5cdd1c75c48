using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes.Watch;

/// <summary>
/// One node as the rest of the cluster sees it, so that no engine is lost to a blip and none leaks to a death. Its
/// loss moves so:
/// <code>
///   Up ──OnSiloDead (its current silo)──▶ Lost ──grace (Linkis:Node:LostGrace) passes──▶ GivenUp
///    ▲                                     │                                             │
///    └──────────── OnNodeActive (its manager activated again) ◀──────────────────────────┘
/// </code>
/// The node's engines are the tickets of its ledger: every engine booked on the node holds one (its engine id) from
/// before its launch until its end has released it — exactly the engines whose fate follows the node's, with nothing
/// written per engine here. Lost tells each of them it is <c>Unreachable</c>; GivenUp tells them to end (NodeLost),
/// which releases their tickets. A reminder keeps a lost node's watch alive through any silo's restart until it is back
/// or every ticket is gone. Its admission (eligible, drain) is saved here too, off the node, and pushed to the node's
/// manager, which refuses launches it does not allow. A drain retires the node's engines (idle ones at once, busy ones
/// after their execution) and stops what is left at its deadline.
/// </summary>
public sealed partial class NodeWatchGrain(
    [PersistentState("nodeWatch", StorageNames.Linkis)] IPersistentState<NodeWatchState> state,
    IOptions<NodeOptions> options,
    ILinkisEventPublisher events,
    TimeProvider time,
    ILogger<NodeWatchGrain> logger) : Grain, INodeWatchGrain, IRemindable
{
    private const string LossReminder = "node-lost";
    private const int FanOut = 32;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan TellLostRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AdmissionDeliveryTimeout = TimeSpan.FromSeconds(5);

    // A drain re-tells its engines this often: an engine grain activated again since forgets it was retired.
    private static readonly TimeSpan DrainRepeat = TimeSpan.FromSeconds(10);
    private IGrainTimer? _graceTimer;
    private IGrainTimer? _drainTimer;

    private string Node => this.GetPrimaryKeyString();

    private TimeSpan Grace => options.Value.LostGrace;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { LostSince: { } since, GaveUp: false })
        {
            ArmGrace(since);
        }

        if (state.State.Admission.Drain is not null)
        {
            ArmDrain(TimeSpan.Zero);
        }

        return Task.CompletedTask;
    }

    // ---- loss: Up → Lost → GivenUp, and back ----

    public async Task<NodeAdmission> OnNodeActive(string silo)
    {
        var current = state.State;
        if (current.Silo != silo || current.LostSince is not null)
        {
            if (current.LostSince is { } since)
            {
                LogNodeBack(Node, silo, (time.GetUtcNow() - since).TotalSeconds, current.GaveUp);
            }

            state.State = current with { Silo = silo, LostSince = null, GaveUp = false };
            await state.WriteStateAsync();
            PublishNodeEvent(current.LostSince is { } lost
                ? (LinkisEventTypes.NodeReturned, $"back on silo {silo} after {(time.GetUtcNow() - lost).TotalSeconds:0.0} s lost")
                : (LinkisEventTypes.NodeJoined, $"active on silo {silo}"));
            _graceTimer?.Dispose();
            _graceTimer = null;
            await StopReminder();
        }

        return state.State.Admission;
    }

    public async Task OnSiloDead(string silo, DateTimeOffset at)
    {
        if (state.State.Silo != silo || state.State.LostSince is not null)
        {
            return;
        }

        // Up → Lost: saved and reminded before anyone is told, so a silo's restart cannot lose the loss.
        state.State = state.State with { LostSince = at };
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(LossReminder, ReminderPeriod, ReminderPeriod);
        ArmGrace(at);
        PublishNodeEvent((LinkisEventTypes.NodeLost, $"membership declared its silo {silo} dead; its engines are Unreachable for up to {Grace.TotalSeconds:0} s"));
        await TellLost(silo, at);
    }

    /// <summary>
    /// Tells the node's engines it is lost. Its ledger may have lived on the dead silo, and answers only once the
    /// directory has let go of that activation: until then this tries again each second (the loss is already saved).
    /// </summary>
    private async Task TellLost(string silo, DateTimeOffset at)
    {
        if (state.State is not { LostSince: { } since, GaveUp: false } || since != at)
        {
            // Back, or given up on, meanwhile.
            return;
        }

        IReadOnlyList<string> engines;
        try
        {
            engines = await BookedEngines();
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogTellLostRetried(Node, e.Message);
            this.RegisterGrainTimer(() => TellLost(silo, at), new GrainTimerCreationOptions(TellLostRetry, Timeout.InfiniteTimeSpan));
            return;
        }

        LogNodeLost(Node, silo, engines.Count, Grace.TotalSeconds);
        await Tell(engines, engine => engine.OnNodeLost(Node, at));
    }

    public Task<DateTimeOffset?> GetLostSince() => Task.FromResult(state.State.LostSince);

    /// <summary>Lost → GivenUp: the node did not come back in time; its engines end, releasing what they booked.</summary>
    private async Task GiveUp()
    {
        if (state.State is not { LostSince: { } since, GaveUp: false })
        {
            return;
        }

        state.State = state.State with { GaveUp = true };
        await state.WriteStateAsync();
        var told = await EndLostEngines(since);
        LogGaveUp(Node, told.Engines, (time.GetUtcNow() - since).TotalSeconds);
    }

    /// <summary>Tells every engine still booked on the node to end; once none is, the reminder has nothing left to do.</summary>
    private async Task<Told> EndLostEngines(DateTimeOffset since)
    {
        var why = $"node {Node} was lost at {since:u} and did not come back within {Quantities.FormatDuration(Grace)} ({NodeOptions.SectionName}:LostGrace)";
        var told = await Tell(engine => engine.OnNodeGone(why));
        if (told.Engines == 0)
        {
            await StopReminder();
        }

        return told;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != LossReminder)
        {
            return;
        }

        switch (state.State)
        {
            case { LostSince: null }:
                await StopReminder();
                break;
            case { LostSince: { } since, GaveUp: false } when time.GetUtcNow() >= since + Grace:
                await GiveUp();
                break;
            case { LostSince: { } since, GaveUp: true }:
                // Engines that could not be told last time (their grains out of reach), or whose release is still
                // under way, are told again until the node's ledger holds no ticket.
                await EndLostEngines(since);
                break;
        }
    }

    private void ArmGrace(DateTimeOffset since)
    {
        var due = since + Grace - time.GetUtcNow();
        _graceTimer?.Dispose();
        _graceTimer = this.RegisterGrainTimer(GiveUp, new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task StopReminder()
    {
        if (await this.GetReminder(LossReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    // ---- admission: eligibility and drain ----

    public Task<NodeAdmission> GetAdmission() => Task.FromResult(state.State.Admission);

    public async Task<NodeAdmission> SetEligibility(bool eligible, string by)
    {
        var admission = eligible ? NodeAdmission.Open : state.State.Admission with { Eligible = false };
        if (eligible && state.State.Admission.Drain is not null)
        {
            LogDrainEnded(Node, by, (await BookedEngines()).Count);
            _drainTimer?.Dispose();
            _drainTimer = null;
        }

        await Admit(admission, by);
        return admission;
    }

    public async Task<NodeAdmission> Drain(TimeSpan deadline, string by)
    {
        var now = time.GetUtcNow();
        var admission = new NodeAdmission { Eligible = false, Drain = new NodeDrain(now, now + deadline, by) };
        await Admit(admission, by);
        LogDrainStarted(Node, by, deadline.TotalSeconds, (await BookedEngines()).Count);
        PublishNodeEvent((LinkisEventTypes.NodeDraining, $"drain started by {by}; deadline {admission.Drain!.Deadline:u}"));
        ArmDrain(TimeSpan.Zero);
        return admission;
    }

    private void PublishNodeEvent((string Type, string Message) what) =>
        events.Publish(new LinkisEvent { At = time.GetUtcNow(), Type = what.Type, Node = Node, Message = what.Message });

    private async Task Admit(NodeAdmission admission, string by)
    {
        state.State = state.State with { Admission = admission };
        await state.WriteStateAsync();
        LogAdmissionChanged(Node, admission.Eligible, admission.Drain is not null, by);
        if (state.State.LostSince is not null)
        {
            // A node that is down hears it when it activates (OnNodeActive answers with the admission).
            return;
        }

        // Awaited, so that when the admin is answered the node and every silo's directory already go by it: a launch
        // placed on the old word is refused by the node, and the next ask is placed on the new one.
        try
        {
            await GrainFactory.GetGrain<INodeManagerGrain>(Node).OnAdmissionChanged(admission).WaitAsync(AdmissionDeliveryTimeout, time);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            LogAdmissionNotHeard(Node, e.Message);
        }
    }

    private void ArmDrain(TimeSpan due)
    {
        _drainTimer?.Dispose();
        _drainTimer = this.RegisterGrainTimer(DrainRound, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    /// <summary>Retires the node's engines (all of them once the deadline has passed), then comes back before the deadline or in a while.</summary>
    private async Task DrainRound(CancellationToken cancellationToken)
    {
        if (state.State.Admission.Drain is not { } drain)
        {
            return;
        }

        var now = time.GetUtcNow();
        var pastDeadline = now >= drain.Deadline;
        var reason = pastDeadline
            ? $"node {Node} was drained by {drain.By} and its drain deadline ({drain.Deadline:u}) passed"
            : $"node {Node} was drained by {drain.By}";
        var told = await Tell(engine => engine.Retire(reason, pastDeadline));
        if (told.StillOnNode == 0)
        {
            // Nothing is left to retire (what is still booked is being released); no new engine comes while it drains.
            LogDrainComplete(Node, (now - drain.StartedAt).TotalSeconds);
            return;
        }

        if (state.State.Admission.Drain is not null)
        {
            var untilDeadline = drain.Deadline - now;
            ArmDrain(untilDeadline > TimeSpan.Zero && untilDeadline < DrainRepeat ? untilDeadline : DrainRepeat);
        }
    }

    // ---- telling the engines ----

    /// <summary>How many engines were booked on the node when told, and how many of them answered that they are still on it.</summary>
    private readonly record struct Told(int Engines, int StillOnNode);

    /// <summary>The node's engines: its ledger's tickets, one per engine booked there (the ticket id is the engine id).</summary>
    private async Task<IReadOnlyList<string>> BookedEngines() =>
        [.. (await GrainFactory.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(Node)).GetSnapshot()).Tickets.Select(t => t.Id)];

    /// <summary>Calls every engine booked on the node, a few at a time.</summary>
    private async Task<Told> Tell(Func<IEngineLifecycle, Task<bool>> call) => await Tell(await BookedEngines(), call);

    private async Task<Told> Tell(IReadOnlyList<string> engines, Func<IEngineLifecycle, Task<bool>> call)
    {
        var stillOnNode = 0;
        foreach (var batch in engines.Chunk(FanOut))
        {
            var answers = await Task.WhenAll(batch.Select(async id =>
            {
                try
                {
                    return await call(GrainFactory.GetGrain<IEngineLifecycle>(id));
                }
                catch (Exception e)
                {
                    LogTellFailed(Node, id, e.Message);
                    return true;
                }
            }));
            stillOnNode += answers.Count(stillThere => stillThere);
        }

        return new Told(engines.Count, stillOnNode);
    }
}
