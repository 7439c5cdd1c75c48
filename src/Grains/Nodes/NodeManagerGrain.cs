using Linkis.Orleans.Abstractions.Executions;
using Linkis.Orleans.Grains.Nodes.Output;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Ledger;
using System.Collections.Immutable;
using Linkis.Orleans.Grains.Nodes.Reports;
using Linkis.Orleans.Grains.Nodes.Watch;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Options;
using Orleans.Placement;

namespace Linkis.Orleans.Grains.Nodes;

/// <summary>
/// A worker node's engine-connection manager, living only on the silo of the same name (<see cref="SiloNamePlacement"/>,
/// and <c>[Immovable]</c> so no rebalancer moves it). It owns the process table (saved before an engine is reported
/// started) and the node's capacity ledger, and pushes a health report every <see cref="NodeOptions.ReportInterval"/>.
/// Process work goes through the node-local <see cref="EngineHostSupervisor"/>; the calls that wait on a process are
/// interleaved and touch no grain state.
/// </summary>
[SiloNamePlacement, Immovable]
public sealed partial class NodeManagerGrain(
    [PersistentState("node", StorageNames.Linkis)] IPersistentState<NodeState> state,
    EngineHostSupervisor supervisor,
    ExecutionOutputs outputs,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IOptions<NodeOptions> options,
    IOptions<LedgerOptions> ledgerOptions,
    TimeProvider time,
    ILogger<NodeManagerGrain> logger) : Grain, INodeManagerGrain
{
    private static readonly TimeSpan WorkDirSweepPeriod = TimeSpan.FromMinutes(10);

    // How soon after an engine starts, gets ready or ends the node's report says so: soon enough that a list of nodes
    // agrees with the list of engines, late enough that a burst of creates sends one report, not one each.
    private static readonly TimeSpan ChangeReportDelay = TimeSpan.FromMilliseconds(50);
    private IGrainTimer? _reportTimer;
    private DateTimeOffset _nextReportAt;
    private const int ReattachConcurrency = 16;
    private readonly CpuUsageMeter _cpu = new();
    private NodeAdmission _admission = NodeAdmission.Open;

    // The node ledger may live on any silo, one that is cut off, say, until membership declares it dead: a report
    // must not wait that long (Orleans' response timeout), so it shows the last ledger read instead.
    private static readonly TimeSpan LedgerReadTimeout = TimeSpan.FromSeconds(2);
    private LedgerSnapshot? _ledger;

    private string Name => this.GetPrimaryKeyString();

    private IResourceLedgerBooking Ledger => GrainFactory.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForNode(Name));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!string.Equals(silo.Name, Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Node manager '{Name}' was activated on silo '{silo.Name}'; it belongs on its own node only.");
        }

        await Ledger.SetMax(Capacity(options.Value));
        // Its watch hears it is back (if it was lost) and says what admins decided meanwhile.
        _admission = await GrainFactory.GetGrain<INodeWatchGrain>(Name).OnNodeActive(silo.SiloAddress.ToParsableString());
        await RecoverProcessTable(cancellationToken);
        // After re-attaching: only then is it known which engines' groups still have an engine.
        await supervisor.RemoveLeftoverLimitsAsync();
        await PushReport(cancellationToken);
        _reportTimer = this.RegisterGrainTimer(PushReport, new GrainTimerCreationOptions(options.Value.ReportInterval, options.Value.ReportInterval) { KeepAlive = true, Interleave = true });
        _nextReportAt = time.GetUtcNow() + options.Value.ReportInterval;
        this.RegisterGrainTimer(SweepEndedWorkDirs, new GrainTimerCreationOptions(WorkDirSweepPeriod, WorkDirSweepPeriod) { Interleave = true });
        // On activation (after a restart, once re-attached), then periodically: the process table against the ledgers.
        var interval = ledgerOptions.Value.ReconcileInterval;
        this.RegisterGrainTimer(_ => Reconcile(), new GrainTimerCreationOptions(TimeSpan.FromSeconds(1) < interval ? TimeSpan.FromSeconds(1) : interval, interval) { KeepAlive = true });
        LogActivated(Name, silo.SiloAddress.ToString(), supervisor.HostKind, supervisor.Limits);
    }

    public async Task<NodeReport> GetReport()
    {
        var node = options.Value;
        var health = NodeHealthProbe.Read(node.WorkRoot);
        var ledger = await ReadLedger();
        var (verdict, reason) = Judge(health, node);
        var report = new NodeReport
        {
            Name = Name,
            Silo = silo.SiloAddress.ToString(),
            Verdict = verdict,
            VerdictReason = reason,
            CpuUsage = _cpu.Sample(),
            Labels = node.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal),
            EnginesBusy = supervisor.BusyCount,
            Admission = _admission,
            CpuCount = health.CpuCount,
            LoadAverage1m = health.LoadAverage1m,
            MemoryTotal = health.MemoryTotal,
            MemoryAvailable = health.MemoryAvailable,
            DiskFree = health.DiskFree,
            EnginesRunning = supervisor.Count - supervisor.StartingCount,
            EnginesStarting = supervisor.StartingCount,
            Capacity = ledger.Max,
            Used = ledger.Used,
            Locked = ledger.Locked,
            EngineHostKind = supervisor.HostKind,
            Limits = supervisor.Limits,
            ReportedAt = time.GetUtcNow(),
        };
        NodeGauges.Update(report);
        return report;
    }

    private async Task<LedgerSnapshot> ReadLedger()
    {
        var reading = GrainFactory.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(Name)).GetSnapshot();
        try
        {
            _ledger = _ledger is null ? await reading : await reading.WaitAsync(LedgerReadTimeout, time);
        }
        catch (TimeoutException)
        {
            LogLedgerReadSlow(Name, LedgerReadTimeout.TotalSeconds);
        }

        return _ledger!;
    }

    /// <summary>Unhealthy (something the node needs) before Draining (an admin's word) before Overloaded (a passing state).</summary>
    private (NodeVerdict Verdict, string? Reason) Judge(NodeHealth health, NodeOptions node)
    {
        var problems = new List<string>();
        if (supervisor.HostKind == "missing") problems.Add("the engine host binary is missing; build the solution");
        if (health.DiskFree is > 0 and < 100L << 20) problems.Add($"only {Quantities.FormatBytes(health.DiskFree)} of disk left under {node.WorkRoot}");
        if (problems.Count > 0)
        {
            return (NodeVerdict.Unhealthy, string.Join("; ", problems));
        }

        if (_admission.Drain is { } drain)
        {
            return (NodeVerdict.Draining, $"drained by {drain.By} since {drain.StartedAt:u}, deadline {drain.Deadline:u}");
        }

        if (health.CpuCount > 0 && health.LoadAverage1m / health.CpuCount > node.MaxLoadPerCore)
        {
            return (NodeVerdict.Overloaded, $"load {health.LoadAverage1m:0.##} on {health.CpuCount} cores is over {node.MaxLoadPerCore:0.##} per core ({NodeOptions.SectionName}:MaxLoadPerCore)");
        }

        if (health.MemoryTotal > 0 && health.MemoryAvailable < node.MinMemoryAvailable)
        {
            return (NodeVerdict.Overloaded, $"memory available {Quantities.FormatBytes(health.MemoryAvailable)} is under {Quantities.FormatBytes(node.MinMemoryAvailable)} ({NodeOptions.SectionName}:MinMemoryAvailable)");
        }

        return (NodeVerdict.Healthy, null);
    }

    public Task<string> GetSiloName() => Task.FromResult(silo.Name);

    public Task<bool> HasEngine(string engineId) => Task.FromResult(supervisor.IsWatching(engineId));

    public async Task OnAdmissionChanged(NodeAdmission admission)
    {
        _admission = admission;
        await PushReport(CancellationToken.None);
    }

    public async Task<LaunchResult> Launch(EngineHostLaunch request)
    {
        using var activity = LinkisTelemetry.Source.StartActivity("linkis.node.launch");
        activity?.SetTag("linkis.engine.id", request.EngineId);
        if (_admission.Refusal(Name) is { } refusal)
        {
            // The node's own word: a placement made on a report from before the admins' change lands here.
            return new LaunchResult(null, new LinkisError(LinkisErrorKind.Unavailable, "The node takes no new engines", refusal), NodeFault: true);
        }

        EngineProcessRecord record;
        try
        {
            record = supervisor.Launch(request);
        }
        catch (EngineLaunchException e)
        {
            LogLaunchFailed(request.EngineId, e.Message);
            return new LaunchResult(null, new LinkisError(LinkisErrorKind.StartFailed, "The engine could not be started", e.Message), NodeFault: true);
        }

        // Save the handle before anyone is told the engine exists (Nomad's rule): a restarted node must find it, and
        // a process that could not be recorded must not run, since nothing would find it after a restart.
        var before = state.State;
        try
        {
            state.State = before with { Processes = before.Processes.SetItem(record.EngineId, record) };
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            state.State = before;
            LogRecordSaveFailed(e, request.EngineId, record.Pid);
            // It never got ready, so nothing of it is worth a grace: no node call waits behind this one for long.
            await supervisor.StopAsync(request.EngineId, "its process record could not be saved", TimeSpan.Zero);
            await supervisor.ForgetAsync(request.EngineId);
            return new LaunchResult(null, TransientFailures.IsTransient(e)
                ? TransientFailures.ToError(e, "The engine could not be started")
                : new LinkisError(LinkisErrorKind.StartFailed, "The engine could not be started",
                    $"node {Name} could not record the engine's process; the silo's log says why"));
        }

        ReportSoon();
        return new LaunchResult(record.Pid, null, record.User);
    }

    public async Task<ReadyResult> WaitUntilReady(string engineId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = LinkisTelemetry.Source.StartActivity("linkis.engine.ready");
        activity?.SetTag("linkis.engine.id", engineId);
        var result = await supervisor.WaitUntilReadyAsync(engineId, timeout, cancellationToken);
        ReportSoon();
        if (!result.Ready)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, result.Failure?.Message);
        }

        return result;
    }

    public Task<ExecuteResult> Execute(string engineId, ExecuteRequest request) => supervisor.ExecuteAsync(engineId, request);

    public Task Stop(string engineId, string reason) => supervisor.StopAsync(engineId, reason);

    public Task<bool> CancelExecution(string engineId, string executionId, TimeSpan grace) =>
        supervisor.CancelExecutionAsync(engineId, executionId, grace);

    public Task<OutputChunk> ReadOutput(string engineId, string executionId, OutputCursor from, int maxBytes, TimeSpan wait) =>
        outputs.ReadAsync(engineId, executionId, from, maxBytes, wait, CancellationToken.None);

    public Task<EngineLog> ReadLog(string engineId, string stream, int tail)
    {
        if (state.State.Processes.TryGetValue(engineId, out var record))
        {
            var path = stream == "stderr" ? record.StderrPath : record.StdoutPath;
            return Task.FromResult(new EngineLog(engineId, stream, LogTail.Read(path, tail)));
        }

        var dir = Path.GetFullPath(Path.Combine(options.Value.WorkRoot, engineId));
        var file = Path.Combine(dir, stream == "stderr" ? EngineConn.Protocol.ProtocolConstants.StderrLogName : EngineConn.Protocol.ProtocolConstants.StdoutLogName);
        return Task.FromResult(new EngineLog(engineId, stream, LogTail.Read(file, tail)));
    }

    public async Task Forget(string engineId)
    {
        await supervisor.ForgetAsync(engineId);
        ReportSoon();
        if (state.State.Processes.ContainsKey(engineId))
        {
            state.State = state.State with { Processes = state.State.Processes.Remove(engineId) };
            await state.WriteStateAsync();
        }
    }

    /// <summary>
    /// Reconciliation of the engines that really run here: a process whose engine has ended (or never existed) is
    /// stopped; a running engine that holds no ticket on this node's ledger, or on its user-creator's, is booked there
    /// again. Then the node's ledger checks its own tickets against the engines (<see cref="IResourceLedgerBooking.Reconcile"/>).
    /// Every repair is logged and counted; there should be none.
    /// </summary>
    public async Task<int> Reconcile()
    {
        var grace = ledgerOptions.Value.ReconcileGrace;
        var now = time.GetUtcNow();
        var running = state.State.Processes.Keys.Where(supervisor.IsRunning).ToList();
        var repairs = 0;
        if (running.Count > 0)
        {
            var node = await GrainFactory.GetGrain<IResourceLedgerGrain>(LedgerKeys.ForNode(Name)).GetSnapshot();
            var infos = await Task.WhenAll(running.Select(id => GrainFactory.GetGrain<IEngineConnGrain>(id).GetInfo()));
            var users = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            for (var i = 0; i < running.Count; i++)
            {
                var engineId = running[i];
                switch (infos[i])
                {
                    case null:
                    case { EndedAt: { } ended } when now - ended >= grace:
                        LogRepairStopped(Name, engineId, infos[i] is null ? "no engine has this id" : $"its engine ended at {infos[i]!.EndedAt:u}");
                        LinkisTelemetry.LedgerRepairs.Add(1, new("ledger", "node"), new("repair", "stopped"));
                        await supervisor.StopAsync(engineId, "reconciliation: its engine has ended");
                        await Forget(engineId);
                        repairs++;
                        break;
                    case { ReadyAt: not null, EndedAt: null } engine when engine.Node == Name:
                        if (!node.Tickets.Any(t => t.Id == engineId)
                            && await Ledger.Restore(engineId, engine.Resources, null, $"engine {engineId} runs on node {Name} without a ticket here"))
                        {
                            repairs++;
                        }

                        if (!UserCreatorLabel.TryParse(engine.UserCreator, out var userCreator, out _))
                        {
                            break;
                        }

                        var userKey = LedgerKeys.ForUserCreator(userCreator);
                        if (!users.TryGetValue(userKey, out var held))
                        {
                            held = [.. (await GrainFactory.GetGrain<IResourceLedgerGrain>(userKey).GetSnapshot()).Tickets.Select(t => t.Id)];
                            users[userKey] = held;
                        }

                        if (!held.Contains(engineId)
                            && await GrainFactory.GetGrain<IResourceLedgerBooking>(userKey).Restore(engineId, engine.Resources, engine.EngineType, $"engine {engineId} runs on node {Name} without a ticket here"))
                        {
                            repairs++;
                        }

                        break;
                }
            }
        }

        repairs += await Ledger.Reconcile();
        LogReconciled(Name, running.Count, repairs);
        return repairs;
    }

    /// <summary>Deletes the work dirs of engines that ended longer ago than the retention, so logs do not fill the disk.</summary>
    private Task SweepEndedWorkDirs(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Value.WorkRoot);
        if (!Directory.Exists(root))
        {
            return Task.CompletedTask;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.EndedWorkDirRetention;
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var engineId = Path.GetFileName(dir);
            if (engineId.StartsWith('.') || state.State.Processes.ContainsKey(engineId) || supervisor.IsRunning(engineId)
                || Directory.GetLastWriteTimeUtc(dir) > cutoff)
            {
                continue;
            }

            try
            {
                // The tree was the engine's user's: taken back first (the top dir made the silo's, 0700) so that
                // user can no longer reach into it and swap a directory for a link while root deletes by path.
                UserAccounts.TakeBack(dir);
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogReportFailed(Name, $"could not delete {dir}: {e.Message}");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The node's engines changed: report it soon rather than at the next period.</summary>
    private void ReportSoon()
    {
        var soon = time.GetUtcNow() + ChangeReportDelay;
        if (_reportTimer is not null && _nextReportAt > soon)
        {
            _reportTimer.Change(ChangeReportDelay, options.Value.ReportInterval);
            _nextReportAt = soon;
        }
    }

    /// <summary>To every active silo's copy of the directory (one-way calls: a dying silo holds up no other).</summary>
    private async Task PushReport(CancellationToken cancellationToken)
    {
        _nextReportAt = time.GetUtcNow() + options.Value.ReportInterval;
        try
        {
            var report = await GetReport();
            var silos = membership.CurrentSnapshot.Members.Values
                .Where(m => m.Status == SiloStatus.Active && !string.IsNullOrEmpty(m.Name))
                .Select(m => m.Name)
                .Append(silo.Name)
                .Distinct(StringComparer.Ordinal);
            foreach (var name in silos)
            {
                await GrainFactory.GetGrain<INodeDirectoryWriter>(name).Report(report);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(Name, e.Message);
        }
    }

    /// <summary>
    /// After a restart, the table lists engines this silo does not hold yet. The launcher re-attaches each host that
    /// still runs as the same process and answers on its socket as the same engine (Nomad's RecoverTask) and stops
    /// what is left of the rest; those are dropped from the table and their engine grains told — off this turn, since
    /// those grains call back into this one — so their resources are released.
    /// </summary>
    private async Task RecoverProcessTable(CancellationToken cancellationToken)
    {
        // Re-attach several at a time: a node with many engines must not wait out each unanswered socket in turn.
        var pending = state.State.Processes.Values.Where(r => !supervisor.IsRunning(r.EngineId)).ToList();
        var outcomes = new List<(EngineProcessRecord Record, Reattachment Found)>(pending.Count);
        foreach (var batch in pending.Chunk(ReattachConcurrency))
        {
            outcomes.AddRange(await Task.WhenAll(batch.Select(async r => (r, await supervisor.ReattachAsync(r, cancellationToken)))));
        }

        var lost = new List<EngineProcessRecord>();
        foreach (var (record, found) in outcomes)
        {
            if (found.Handle is { } handle)
            {
                if (supervisor.Adopt(handle))
                {
                    LogReattached(record.EngineId, record.Pid);
                }

                continue;
            }

            var exit = found.Lost ?? ProcessExit.Unrecorded(null, null, $"the engine host could not be found after node {Name} restarted");
            LogReaped(record.EngineId, record.Pid, exit.ToUnrequestedEndReason().Message);
            lost.Add(record);
            supervisor.ReportGone(record.EngineId, exit);
        }

        if (lost.Count > 0)
        {
            state.State = state.State with { Processes = state.State.Processes.RemoveRange(lost.Select(r => r.EngineId)) };
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private static ResourceVector Capacity(NodeOptions node)
    {
        var memory = node.CapacityMemory > 0 ? node.CapacityMemory : NodeHealthProbe.PhysicalMemory() * 8 / 10;
        var cores = node.CapacityCores > 0 ? node.CapacityCores : Environment.ProcessorCount * node.CoreOvercommit;
        return ResourceVector.FromCores(memory, cores, node.CapacityInstances);
    }
}
