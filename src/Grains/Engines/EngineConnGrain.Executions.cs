using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Options;

namespace Linkis.Orleans.Grains.Engines;

/// <summary>
/// The engine's executions, one at a time in order. Each one moves so (see <see cref="ExecutionStatus"/>):
/// <code>
///   Submit ─▶ Queued ──RunNext──▶ Running ──Finish (its host's result)──▶ Succeeded | Failed | Cancelled | TimedOut
///               │                    └── CancelExecution: interrupt on its host; its result says Cancelled
///               └── CancelExecution ──▶ Cancelled           (End: what had not finished ──▶ Failed)
/// </code>
/// A submit and an end are saved; a start is not: an activation that finds an execution Running (its silo died) sends
/// it again by the same id, and its host — which went on running it — attaches rather than runs it twice, so what it
/// ran meanwhile, and its output, are not lost. Executions do not hold the grain: one runs off a request's turn
/// (<see cref="_runner"/>), and the calls about it interleave with it.
/// </summary>
public sealed partial class EngineConnGrain
{
    // How long a runner whose node could not be reached waits before it sends the execution again (its host may run it).
    private static readonly TimeSpan ResendDelay = TimeSpan.FromSeconds(1);

    private const int SaveAttempts = 3;

    // How long a job's engine whose process exited waits for its job's answer (see AwaitJobResult).
    private static readonly TimeSpan JobResultWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SaveRetryDelay = TimeSpan.FromMilliseconds(200);

    // How long an output read that saw the end on the node waits for the end to be recorded here.
    private static readonly TimeSpan EndRecordWait = TimeSpan.FromSeconds(2);

    // The results of this activation's executions, for an Execute waiting on one; dropped with its record.
    private readonly Dictionary<string, TaskCompletionSource<ExecuteResult>> _outcomes = new(StringComparer.Ordinal);
    private TaskCompletionSource _executionsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _runner = Task.CompletedTask;

    // Submitted, not saved yet: not to be run, since a submit that cannot be saved is refused.
    private readonly HashSet<string> _unsaved = new(StringComparer.Ordinal);

    // Cancels its node has not confirmed: sent again once the node is back, and before their execution is sent again.
    private readonly HashSet<string> _undeliveredCancels = new(StringComparer.Ordinal);

    // Unfinished when this activation began: an earlier activation may have sent it, so its host may run it even if it
    // shows Queued (a start is not saved).
    private HashSet<string> _inherited = new(StringComparer.Ordinal);

    private IReadOnlyList<ExecutionRecord> Executions => state.State.Executions;

    public async Task<ExecuteResult> Execute(ExecuteRequest request)
    {
        // A request of its own, so the submit is saved in turn with the grain's other writes.
        var submitted = await this.AsReference<IEngineConnGrain>().Submit(new ExecutionSubmit(request.Code, request.Timeout, request.By));
        if (submitted.Error is { } error)
        {
            return ExecuteResult.Failed(error);
        }

        var id = submitted.Execution!.ExecutionId;
        try
        {
            return await Outcome(id).Task;
        }
        finally
        {
            _outcomes.Remove(id);
        }
    }

    public async Task<SubmitResult> Submit(ExecutionSubmit submit)
    {
        if (RefuseExecution() is { } refused)
        {
            return new SubmitResult(null, refused);
        }

        if (submit.Timeout <= TimeSpan.Zero || submit.Timeout > options.Value.MaxExecuteTimeout)
        {
            return new SubmitResult(null, LinkisError.Invalid("timeoutSeconds",
                $"must be more than 0 and at most {options.Value.MaxExecuteTimeout.TotalSeconds:0} ({EngineOptions.SectionName}:MaxExecuteTimeout)"));
        }

        var waiting = Executions.Count(e => e.Info.Status == ExecutionStatus.Queued);
        if (waiting >= options.Value.MaxQueuedExecutions)
        {
            return new SubmitResult(null, new LinkisError(LinkisErrorKind.QuotaExceeded, "Too many executions waiting",
                $"engine {EngineId} already has {waiting} executions waiting behind the running one, its most ({EngineOptions.SectionName}:MaxQueuedExecutions); wait for one to finish, or cancel one"));
        }

        var now = time.GetUtcNow();
        var number = state.State.ExecutionsSubmitted + 1;
        var info = new ExecutionInfo
        {
            ExecutionId = ExecutionIds.Format(EngineId, number),
            EngineId = EngineId,
            Status = ExecutionStatus.Queued,
            QueuedAt = now,
            Timeout = submit.Timeout,
            SubmittedBy = submit.By,
        };
        state.State = state.State with { ExecutionsSubmitted = number, Executions = [.. Executions, new ExecutionRecord(info, submit.Code)] };
        _unsaved.Add(info.ExecutionId);
        try
        {
            await WriteStateRetrying();
        }
        catch
        {
            // Not saved, so not accepted: a silo that restarts would not know it.
            state.State = state.State with { Executions = [.. Executions.Where(e => e.Info.ExecutionId != info.ExecutionId)] };
            throw;
        }
        finally
        {
            _unsaved.Remove(info.ExecutionId);
        }

        Outcome(info.ExecutionId);
        LogExecutionQueued(EngineId, info.ExecutionId, submit.By ?? "");
        RunQueued();
        return new SubmitResult(Find(info.ExecutionId)?.Info ?? info, null);
    }

    public Task<ExecutionInfo?> GetExecution(string executionId) => Task.FromResult(Find(executionId)?.Info);

    public Task<IReadOnlyList<ExecutionInfo>?> ListExecutions() =>
        Task.FromResult<IReadOnlyList<ExecutionInfo>?>(_phase is Phase.Unborn ? null : [.. Executions.Select(e => e.Info)]);

    public async Task<ExecutionInfo?> CancelExecution(string executionId, string by)
    {
        if (Find(executionId) is not { Info: var info } || info.IsFinished)
        {
            return Find(executionId)?.Info;
        }

        LogExecutionCancelRequested(EngineId, executionId, by);
        if (info.Status == ExecutionStatus.Queued)
        {
            // This activation has not sent it (the runner sends the first queued one and marks it Running in the same
            // turn); an earlier one may have, so its host is told too: it drops an id it has not seen, should it come.
            Finish(executionId, new ExecuteResult { ExitCode = -1, Cancelled = true }, by);
            await TrySaveState();
            if (_inherited.Contains(executionId))
            {
                await SendCancel(executionId);
            }

            return Find(executionId)?.Info;
        }

        Update(executionId, i => i with { CancelledBy = i.CancelledBy ?? by });
        await SendCancel(executionId);
        return Find(executionId)?.Info;
    }

    /// <summary>
    /// Tells the execution's host to cancel it. One its node does not confirm (out of reach, or not answering) is kept,
    /// and sent again when the node is back (<see cref="SendUndeliveredCancels"/>) and before the execution is sent again.
    /// </summary>
    private async Task SendCancel(string executionId)
    {
        _undeliveredCancels.Add(executionId);
        if (NodeOutOfReach)
        {
            return;
        }

        try
        {
            if (await Node.CancelExecution(EngineId, executionId, options.Value.CancelGrace))
            {
                _undeliveredCancels.Remove(executionId);
            }
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogCancelNotDelivered(EngineId, executionId, TransientFailures.Describe(e));
        }
    }

    private async Task SendUndeliveredCancels()
    {
        foreach (var executionId in _undeliveredCancels.ToList())
        {
            await SendCancel(executionId);
        }
    }

    public async Task<ExecutionInfo?> WaitForExecution(string executionId, TimeSpan timeout)
    {
        if (Find(executionId) is not { Info: var info } || info.IsFinished)
        {
            return Find(executionId)?.Info;
        }

        await Outcome(executionId).Task.WaitAsync(timeout, time).ContinueWith(static _ => { }, TaskScheduler.Current);
        return Find(executionId)?.Info;
    }

    public async Task<OutputChunk> ReadOutput(string executionId, OutputCursor from, int maxBytes, TimeSpan wait)
    {
        if (Find(executionId) is not { Info: var info })
        {
            return new OutputChunk { From = from };
        }

        if (info.Status == ExecutionStatus.Queued && wait > TimeSpan.Zero)
        {
            // Nothing to read before it starts: wait for it to start (or end) instead.
            await _executionsChanged.Task.WaitAsync(wait, time).ContinueWith(static _ => { }, TaskScheduler.Current);
            info = Find(executionId)?.Info ?? info;
        }

        if (NodeOutOfReach)
        {
            if (!info.IsFinished && wait > TimeSpan.Zero)
            {
                // Its files are on a node out of reach: wait for a change here (it is sent again, or it ends) rather than
                // have the reader ask again at once.
                await _executionsChanged.Task.WaitAsync(wait, time).ContinueWith(static _ => { }, TaskScheduler.Current);
            }

            // An ended engine's node is not coming back for it: what was not read cannot be.
            return new OutputChunk { From = from, Execution = Find(executionId)?.Info ?? info, Ended = _phase is Phase.Ended };
        }

        if (info.Status == ExecutionStatus.Queued)
        {
            return new OutputChunk { From = from, Execution = info };
        }

        var chunk = await Node.ReadOutput(EngineId, executionId, from, maxBytes, info.IsFinished ? TimeSpan.Zero : wait);
        if (chunk.Ended && Find(executionId) is { Info.IsFinished: false })
        {
            // Its node saw it end a moment before its result reached this grain.
            await Outcome(executionId).Task.WaitAsync(EndRecordWait, time).ContinueWith(static _ => { }, TaskScheduler.Current);
        }

        // Read once it had ended here: its files were complete, so nothing past these bytes is to come.
        return chunk with { Execution = Find(executionId)?.Info ?? info, Ended = chunk.Ended || info.IsFinished };
    }

    /// <summary>
    /// Saves, trying again a moment later (<see cref="SaveAttempts"/> in all) when storage failed: a database that has
    /// just come back hands out pooled connections that died with it, one failure each, and a submit should not be
    /// refused for that.
    /// </summary>
    private async Task WriteStateRetrying()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteState();
                return;
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) && attempt < SaveAttempts)
            {
                LogSaveFailed(EngineId, e.GetBaseException().Message);
                await Task.Delay(SaveRetryDelay, time);
            }
        }
    }

    // ---- a run-once engine's one execution ----

    private ExecutionRecord? JobExecution => Executions.Count > 0 ? Executions[0] : null;

    /// <summary>A job's engine that has run its job ends with the job's outcome; null for any other engine, or before.</summary>
    private EndReason? JobEnd()
    {
        if (!Spec.Job || JobExecution is not { Info.IsFinished: true, Info: var job })
        {
            return null;
        }

        return job.Status == ExecutionStatus.Succeeded
            ? new EndReason(EndReasonKind.JobFinished, $"its job {job.ExecutionId} succeeded", ExitCode: 0)
            : new EndReason(EndReasonKind.JobFailed,
                $"its job {job.ExecutionId} ended {job.Status}" + (job.ExitCode is { } code ? $" with exit code {code}" : "") + (job.Error is { } e ? $": {e}" : ""),
                ExitCode: job.ExitCode);
    }

    /// <summary>A job whose code ended its executor (<c>exit 3</c>) ends its engine with the job's outcome, not as a crash.</summary>
    private EndReason JobEndFor(EndReason reason) =>
        reason.Kind is EndReasonKind.ExecutorExited or EndReasonKind.ProcessExited && JobEnd() is { } job ? job : reason;

    /// <summary>
    /// The host of a job that ended its executor exits right after it answers: the process exit can reach this grain
    /// before the answer does. It waits for the answer a moment, so the job's outcome is what the engine ends with.
    /// </summary>
    private async Task AwaitJobResult()
    {
        if (state.State.Spec is { Job: true } && JobExecution is { Info.IsFinished: false, Info.ExecutionId: var id })
        {
            await Outcome(id).Task.WaitAsync(JobResultWait, time).ContinueWith(static _ => { }, TaskScheduler.Current);
        }
    }

    /// <summary>Why the engine takes no execution now; null when it does.</summary>
    private LinkisError? RefuseExecution()
    {
        if (_phase is Phase.Unborn)
        {
            return LinkisError.EngineNotFound(EngineId);
        }

        if (_phase is Phase.Unreachable)
        {
            return new LinkisError(LinkisErrorKind.Unavailable, "The engine's node is out of reach",
                $"engine {EngineId} is Unreachable: node {Spec.Node} has been lost since {state.State.UnreachableSince:u}. It comes back if the node returns within {Quantities.FormatDuration(nodeOptions.Value.LostGrace)} of that; otherwise it ends. Retry later or ask for another engine.");
        }

        if (_phase is not Phase.Running)
        {
            return new LinkisError(LinkisErrorKind.Conflict, "The engine cannot execute",
                $"engine {EngineId} is {state.State.Status}" + (state.State.EndReason is { } r ? $" ({r.Message})" : "") + "; ask for a new engine");
        }

        if (Spec.Job && state.State.ExecutionsSubmitted > 0)
        {
            return new LinkisError(LinkisErrorKind.Conflict, "A job's engine runs its job only",
                $"engine {EngineId} was started for job {EngineId} and runs nothing else; submit to an engine from POST /api/v1/engines, or start another job");
        }

        if ((_unhealthy ?? _retiring) is { } leaving)
        {
            return new LinkisError(LinkisErrorKind.Conflict, "The engine is being retired",
                $"engine {EngineId} stops once its running execution ends ({leaving}); ask for a new engine");
        }

        return null;
    }

    // ---- the runner: Queued → Running → finished, one at a time ----

    /// <summary>Starts the runner unless it runs: it runs what is queued, in order, while the engine is running.</summary>
    private void RunQueued()
    {
        if (_runner.IsCompleted)
        {
            _runner = RunQueuedLoop();
        }
    }

    private async Task RunQueuedLoop()
    {
        while (_phase is Phase.Running && !NodeOutOfReach && NextToRun() is { } next)
        {
            try
            {
                await RunNext(next);
            }
            catch (Exception e)
            {
                // A bug: the execution still ends, and the next one still runs.
                LogExecutionBroke(e, EngineId, next.Info.ExecutionId);
                Finish(next.Info.ExecutionId, ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "The execution failed unexpectedly", "the silo's log says why")));
                await TrySaveState();
            }
        }

        // What was left to run was cancelled while the last one's end was being saved: nothing runs, so it is Idle.
        if (_phase is Phase.Running && state.State.Status == EngineStatus.Busy && !IsRunningAny())
        {
            SetStatus(EngineStatus.Idle);
            ScheduleNextCheck();
        }
    }

    /// <summary>The one running (after a restart: sent again, and attached to by its host), else the first waiting and saved.</summary>
    private ExecutionRecord? NextToRun() =>
        Executions.FirstOrDefault(e => e.Info.Status == ExecutionStatus.Running)
        ?? Executions.FirstOrDefault(e => e.Info.Status == ExecutionStatus.Queued && !_unsaved.Contains(e.Info.ExecutionId));

    private bool IsRunningAny() => Executions.Any(e => e.Info.Status == ExecutionStatus.Running);

    private async Task RunNext(ExecutionRecord record)
    {
        var id = record.Info.ExecutionId;
        Update(id, i => i with { Status = ExecutionStatus.Running, StartedAt = i.StartedAt ?? time.GetUtcNow() });
        if (state.State.Status != EngineStatus.Busy)
        {
            SetStatus(EngineStatus.Busy);
        }

        if (record.Info.CancelledBy is not null || _undeliveredCancels.Contains(id))
        {
            // Sent again after a cancel that may not have reached its host: the cancel first, so the host stops it (or,
            // not having it, drops it when it comes).
            await SendCancel(id);
        }

        ExecuteResult result;
        try
        {
            result = await Node.Execute(EngineId, new ExecuteRequest(record.Code ?? "", record.Info.Timeout)
            {
                ExecutionId = id,
                CancelGrace = options.Value.CancelGrace,
            });
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // Its node did not answer: its host may well run it still. It stays Running, sent again by the same id
            // (and so attached to, not run twice) once the node answers, or ended with the engine if it never does.
            LogExecutionResend(EngineId, id, TransientFailures.Describe(e));
            await Task.Delay(ResendDelay, time);
            return;
        }

        if (result.Error is { Kind: LinkisErrorKind.Timeout } stuck)
        {
            // Not even a time-out came back from its host: whatever runs there, this engine is not to be trusted.
            _unhealthy ??= $"its host did not answer an execution: {stuck.Detail}";
            LogUnhealthy(EngineId, _unhealthy);
            result = result with { Error = stuck with { Detail = $"{stuck.Detail}. The engine steps aside: it is shut down (end reason Unhealthy); ask again for a new one" } };
        }

        if (result.StateLost && !state.State.StateLost)
        {
            // Its executor was restarted: it goes on for its owner, but no ask is handed it again, and it ends as Unhealthy.
            state.State = state.State with { StateLost = true };
            LogStateLost(EngineId, id);
        }

        Finish(id, result);
        FinishExecution();
        await TrySaveState();
    }

    /// <summary>Records how the execution ended (unless it already had), trims the history, and tells who waits.</summary>
    private void Finish(string executionId, ExecuteResult result, string? cancelledBy = null)
    {
        var now = time.GetUtcNow();
        var finished = Update(executionId, i => i with
        {
            Status = result switch
            {
                { Cancelled: true } => ExecutionStatus.Cancelled,
                { Error: not null } => ExecutionStatus.Failed,
                { TimedOut: true } => ExecutionStatus.TimedOut,
                { ExitCode: 0 } => ExecutionStatus.Succeeded,
                _ => ExecutionStatus.Failed,
            },
            ExitCode = result.Error is null && !(result.Cancelled && i.Status == ExecutionStatus.Queued) ? result.ExitCode : null,
            StartedAt = result.StartedAt ?? i.StartedAt,
            EndedAt = result.EndedAt ?? now,
            // Counted by its host: unknown when its host's result did not come (the engine ended under it, say).
            StdoutBytes = result.Error is null ? result.StdoutBytes : null,
            StderrBytes = result.Error is null ? result.StderrBytes : null,
            Truncated = result.LogTruncated,
            StateLost = result.StateLost,
            CancelledBy = result.Cancelled ? i.CancelledBy ?? cancelledBy ?? "the engine host" : i.CancelledBy,
            Error = result.Error?.Detail,
        });
        if (finished)
        {
            // Told before trimming: trimming may drop it, and with it the outcome a waiter holds.
            Outcome(executionId).TrySetResult(result);
            TrimHistory();
            LogExecutionEnded(EngineId, executionId, Find(executionId)?.Info.Status.ToString() ?? "", result.ExitCode);
        }
    }

    /// <summary>The engine ended: what had not finished never will.</summary>
    private void AbandonExecutions(EndReason reason)
    {
        foreach (var record in Executions.Where(e => !e.Info.IsFinished).ToList())
        {
            var ran = record.Info.Status == ExecutionStatus.Running ? "while it ran" : "before it ran";
            Finish(record.Info.ExecutionId, ExecuteResult.Failed(new LinkisError(LinkisErrorKind.Conflict, "The engine ended",
                $"engine {EngineId} ended {ran}: {reason.Message}")));
        }
    }

    /// <summary>Applies <paramref name="change"/> to an unfinished execution; false when it has none by that id or it had finished.</summary>
    private bool Update(string executionId, Func<ExecutionInfo, ExecutionInfo> change)
    {
        var records = Executions;
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Info.ExecutionId == executionId && !records[i].Info.IsFinished)
            {
                var info = change(records[i].Info);
                var list = records.ToList();
                list[i] = new ExecutionRecord(info, info.IsFinished ? null : records[i].Code);
                state.State = state.State with { Executions = list };
                Interlocked.Exchange(ref _executionsChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                if (info.Status != records[i].Info.Status)
                {
                    TellExecution(info);
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Keeps every unfinished execution and the last <see cref="EngineOptions.ExecutionHistory"/> finished ones.</summary>
    private void TrimHistory()
    {
        var finished = Executions.Count(e => e.Info.IsFinished);
        var drop = finished - options.Value.ExecutionHistory;
        if (drop <= 0)
        {
            return;
        }

        var kept = new List<ExecutionRecord>(Executions.Count - drop);
        foreach (var record in Executions)
        {
            if (drop > 0 && record.Info.IsFinished)
            {
                drop--;
                _outcomes.Remove(record.Info.ExecutionId);
                _undeliveredCancels.Remove(record.Info.ExecutionId);
                _inherited.Remove(record.Info.ExecutionId);
                continue;
            }

            kept.Add(record);
        }

        state.State = state.State with { Executions = kept };
    }

    private ExecutionRecord? Find(string executionId) => Executions.FirstOrDefault(e => e.Info.ExecutionId == executionId);

    /// <summary>Where an execution's result lands in this activation (made on first use).</summary>
    private TaskCompletionSource<ExecuteResult> Outcome(string executionId)
    {
        if (!_outcomes.TryGetValue(executionId, out var outcome))
        {
            outcome = new TaskCompletionSource<ExecuteResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _outcomes[executionId] = outcome;
            if (Find(executionId) is { Info.IsFinished: true } finished)
            {
                outcome.TrySetResult(new ExecuteResult { ExitCode = finished.Info.ExitCode ?? -1 });
            }
        }

        return outcome;
    }
}
