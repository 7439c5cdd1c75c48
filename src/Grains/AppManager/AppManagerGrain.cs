using System.Diagnostics;
using System.Security.Cryptography;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Defaults;
using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Queue;
using Linkis.Orleans.Grains.Defaults;
using Linkis.Orleans.Grains.Engines;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Ledger;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Plugins;
using Linkis.Orleans.Grains.Queue;
using Linkis.Orleans.Grains.Security;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.AppManager;

/// <summary>
/// The AppManager: validate → check who the engine would run as → its tenant → reuse an idle engine (on a node its labels
/// allow) → choose a node → resources from the plugin → lock the user's ledger, then the node's (compensating on
/// failure; an ask with <c>queue</c> that finds no room waits in its user-creator's queue for it) → start the engine →
/// wait until it is ready or the ask times out. A start that fails for a reason of its
/// node is tried once more on another node (Nomad's reschedule), the first node's tickets released by the failed engine.
/// Stateless and reentrant, one activation per silo: it keeps only a short-lived cache of node reports, so asks
/// interleave freely; and a cancelled ask's cancellation reaches it (Orleans routes a cancellation to one activation
/// of a stateless worker, which with more than one may not be the one running the ask).
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed partial class AppManagerGrain(
    EngineConnPluginCatalog plugins,
    EngineUserPolicy userPolicy,
    IOptions<EngineOptions> engineOptions,
    IOptions<TenantOptions> tenantOptions,
    IOptions<SharingOptions> sharingOptions,
    IClusterMembershipService membership,
    ILinkisEventPublisher events,
    TimeProvider time,
    ILogger<AppManagerGrain> logger) : Grain, IAppManagerGrain
{
    // A retry on another node needs at least this much of the ask's time left to have a chance.
    private static readonly TimeSpan MinRetryTime = TimeSpan.FromSeconds(2);

    // A queued ask's wait for its turn returns this often, well inside a grain call's timeout, and is made again.
    private static readonly TimeSpan MaxTurnWait = TimeSpan.FromSeconds(10);
    private const string NoNodeTitle = "No node can take the engine";
    private IReadOnlyList<NodeReport> _nodes = [];
    private DateTimeOffset _nodesReadAt;

    // Engines this activation placed on each node since it last read the reports, which do not count them yet: so a
    // run of asks between two reads spreads instead of landing on the node that looked emptiest.
    private readonly Dictionary<string, int> _placedSinceRead = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<EngineTypeInfo>> GetEngineTypes() => Task.FromResult(plugins.Describe());

    public async Task<AskResult> Ask(EngineAsk ask, CancellationToken cancellationToken)
    {
        using var activity = LinkisTelemetry.Source.StartActivity("linkis.ask");
        var started = time.GetTimestamp();
        AskResult result;
        try
        {
            result = await AskCore(ask, cancellationToken);
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // State storage or a silo is out of reach. What this ask had locked is released by the locks' expiry.
            LogAskUnavailable(e);
            result = AskResult.Failed(TransientFailures.ToError(e, "The service cannot take asks right now"));
        }

        var outcome = result.Error is not null ? "rejected" : result.Reused ? "reused" : "created";
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        LinkisTelemetry.Asks.Add(1, outcomeTag, new("reason", result.Error?.Kind.ToString() ?? ""));
        LinkisTelemetry.AskDuration.Record(time.GetElapsedTime(started).TotalMilliseconds, outcomeTag);
        TellAsked(ask, result, outcome);
        if (activity is not null)
        {
            activity.SetTag("linkis.outcome", outcome);
            activity.SetTag("linkis.engine.id", result.Engine?.EngineId);
            if (result.Error is { } error)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Detail);
            }
        }

        return result;
    }

    private void TellAsked(EngineAsk ask, AskResult result, string outcome)
    {
        var userCreator = result.Engine?.UserCreator ?? ask.Labels.GetValueOrDefault(LabelKeys.UserCreator);
        events.Publish(new LinkisEvent
        {
            At = time.GetUtcNow(),
            Type = LinkisEventTypes.EngineAsked,
            // An ask whose user-creator does not parse is nobody's: only admins see it.
            User = UserCreatorLabel.TryParse(userCreator, out var label, out _) ? label.User : null,
            UserCreator = label is null ? null : userCreator,
            EngineType = result.Engine?.EngineType ?? ask.Labels.GetValueOrDefault(LabelKeys.EngineType),
            EngineId = result.Engine?.EngineId,
            Node = result.Engine?.Node,
            Status = outcome,
            Reason = result.Error?.Kind.ToString(),
            Message = result.Error?.Detail,
        });
    }

    private async Task<AskResult> AskCore(EngineAsk ask, CancellationToken cancellationToken)
    {
        var options = engineOptions.Value;
        var valid = AskValidator.Validate(ask, plugins, options, out var invalid);
        if (valid is null)
        {
            return AskResult.Failed(invalid!);
        }

        // Before the pool too: a user the rules refuse is handed no engine, not even one started before the rule.
        if (userPolicy.Check(valid.Labels.UserCreator.User) is { } refused)
        {
            LogAskRefused(valid.Labels.UserCreator.User, valid.RequestedBy, refused.Detail);
            return AskResult.Failed(refused);
        }

        if (WithTenant(valid.Labels, out var notThatTenant) is not { } labels)
        {
            return AskResult.Failed(notThatTenant!);
        }

        valid = valid with { Labels = labels };
        if (ShareScopes.Resolve(ask, valid, sharingOptions.Value, userPolicy, out var notShared) is not { } shared)
        {
            return AskResult.Failed(notShared!);
        }

        (ask, valid) = shared;
        var deadline = time.GetUtcNow() + valid.Timeout;
        var pool = GrainFactory.GetGrain<IEnginePoolGrain>(valid.Labels.PoolKey);
        var askId = NewEngineId();
        try
        {
            return await AcquireEngine(ask, valid, pool, askId, deadline, cancellationToken);
        }
        finally
        {
            if (ask.Lock)
            {
                // Answered or not, its turn is over: the next lease ask in line may take an engine that comes free.
                await LeaveLeaseQueue(pool, askId);
            }
        }
    }

    /// <summary>Asks the pool until it hands an engine (reused or started here) or the ask runs out of time.</summary>
    private async Task<AskResult> AcquireEngine(
        EngineAsk ask, ValidAsk valid, IEnginePoolGrain pool, string askId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var options = engineOptions.Value;
        var labels = valid.Labels;
        var waited = false;
        while (true)
        {
            var engineId = NewEngineId();
            // An ask that narrows its nodes may reuse only an engine on a node it allows; so may a group or server ask,
            // whose pool holds engines started for users of other tenants, on nodes of theirs.
            string[]? onNodes = labels.NarrowsNodes || valid.Share is ShareLevel.Group or ShareLevel.Server
                ? [.. NodeSelector.Matching(await ReadNodes(time.GetUtcNow(), refresh: false), labels)]
                : null;
            var decision = await pool.Acquire(new PoolRequest
            {
                AskId = askId,
                ProposedEngineId = engineId,
                Reuse = ask.Reuse,
                Exclusive = ask.Lock,
                Waited = waited,
                MaxConcurrentCreates = options.MaxConcurrentCreatesPerKey,
                OnNodes = onNodes,
                Deadline = deadline,
            });
            switch (decision.Kind)
            {
                case PoolDecisionKind.Reuse:
                    var candidate = GrainFactory.GetGrain<IEngineConnGrain>(decision.EngineId!);
                    if (ask.Lock && !await GrainFactory.GetGrain<IEngineLifecycle>(decision.EngineId!).Lock(valid.RequestedBy))
                    {
                        // Leased to someone else (or ended) since the pool last heard: let the pool know and look again.
                        var now = await candidate.GetInfo();
                        await pool.OnEngineChanged(decision.EngineId!, now?.Status ?? EngineStatus.Failed, true, now?.Node ?? "");
                        continue;
                    }

                    var engine = decision.FromWarmPool
                        ? await GrainFactory.GetGrain<IEngineLifecycle>(decision.EngineId!).HandOut()
                        : await candidate.GetInfo();
                    if (engine is not null && engine.Status.IsRunning() && valid.Sharer is { } sharer && !engine.Sharers.Contains(sharer, StringComparer.Ordinal))
                    {
                        // A group or server engine is shared with each user it is handed to: they may use it as their own.
                        engine = await GrainFactory.GetGrain<IEngineLifecycle>(decision.EngineId!).AddSharer(sharer) ?? engine;
                    }

                    if (engine is not null && engine.Status.IsRunning())
                    {
                        return new AskResult { Engine = engine, Reused = true };
                    }

                    // The pool was behind; tell it what the engine says and look again.
                    await pool.OnEngineChanged(decision.EngineId!, engine?.Status ?? EngineStatus.Failed, false, engine?.Node ?? "");
                    continue;

                case PoolDecisionKind.Wait:
                    var remaining = deadline - time.GetUtcNow();
                    if (remaining <= TimeSpan.Zero)
                    {
                        return AskResult.Failed(new LinkisError(LinkisErrorKind.Timeout, "No engine in time",
                            $"the engines of {valid.Labels.PoolKey} were starting, busy or leased to others for the whole of the ask's timeout of {valid.Timeout.TotalSeconds:0} s; ask again, or ask with \"reuse\":false for an engine of its own"));
                    }

                    waited = true;
                    await pool.WaitForChange(decision.Version, remaining < TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5), cancellationToken);
                    continue;

                default:
                    AskResult? created = null;
                    try
                    {
                        var (withDefaults, notValid) = await WithDefaults(ask, valid);
                        if (withDefaults is null)
                        {
                            return AskResult.Failed(notValid!);
                        }

                        created = ask.Queue ?? options.QueueWhenFull
                            ? await CreateWhenRoom(engineId, askId, withDefaults, pool, deadline, ask.Lock, cancellationToken)
                            : await Create(engineId, withDefaults, deadline, ask.Lock, null, cancellationToken);
                        return created;
                    }
                    finally
                    {
                        // An engine started in the slot gives it back itself, with its first report to the pool: given
                        // back from here, that can come first, and an ask waiting on the key would then see neither a
                        // slot nor an engine that may come free, and start a second engine.
                        if (created is not { Error: null, Engine.EngineId: var started } || started != engineId)
                        {
                            await GiveBackCreationSlot(pool, engineId);
                        }
                    }
            }
        }
    }

    /// <summary>
    /// The ask with the defaults that apply merged under its own properties (engine type &lt; creator &lt; user-creator &lt;
    /// ask): its resources and idle timeout are read from them. Only an engine about to start needs them.
    /// </summary>
    private async Task<(ValidAsk? Ask, LinkisError? Error)> WithDefaults(EngineAsk ask, ValidAsk valid)
    {
        var defaults = await GrainFactory.GetGrain<IEngineDefaultsGrain>(0).List();
        var merged = DefaultsRules.Merge(defaults, valid.Labels.UserCreator, valid.Labels.EngineType, ask.Properties);
        var properties = merged.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal);
        if (AskValidator.Validate(ask with { Properties = properties }, plugins, engineOptions.Value, out var invalid) is not { } resolved)
        {
            // Defaults are checked when they are set; one that no longer fits (a plugin changed) is said so.
            LogDefaultsRefused(valid.Labels.PoolKey, invalid!.Detail);
            return (null, invalid with { Detail = $"with the defaults that apply to it: {invalid.Detail}; see GET /api/v1/defaults" });
        }

        return (valid with
        {
            Resources = resolved.Resources,
            IdleTimeout = resolved.IdleTimeout,
            MaxLifetime = resolved.MaxLifetime,
            MaxExecutions = resolved.MaxExecutions,
            Properties = properties,
            PropertySources = merged.ToDictionary(p => p.Key, p => p.Value.From, StringComparer.Ordinal),
        }, null);
    }

    /// <summary>The ask's tenant: the one its user-creator is mapped to; asking for another is refused.</summary>
    private LabelSet? WithTenant(LabelSet labels, out LinkisError? error)
    {
        var mapped = tenantOptions.Value.TenantOf(labels.UserCreator);
        error = null;
        if (labels.Tenant is { } asked && asked != mapped)
        {
            error = new LinkisError(LinkisErrorKind.Forbidden, "Not the user-creator's tenant", mapped is null
                ? $"{labels.UserCreator} belongs to no tenant ({TenantOptions.SectionName}), so it may not ask for tenant {asked}; leave the tenant label out"
                : $"{labels.UserCreator} belongs to tenant {mapped} ({TenantOptions.SectionName}), not {asked}; leave the tenant label out or set it to {mapped}");
            return null;
        }

        return labels with { Tenant = mapped };
    }

    /// <summary>
    /// Starts the engine, waiting in the user-creator's queue while there is no room for it (its quota or the nodes are
    /// full) until the ask's deadline. First come, first served: the queue gives room that appears to the ask that
    /// waited longest, and the ask leaves the queue as soon as it has booked its engine.
    /// </summary>
    private async Task<AskResult> CreateWhenRoom(
        string engineId, string askId, ValidAsk ask, IEnginePoolGrain pool, DateTimeOffset deadline, bool lockForAsker, CancellationToken cancellationToken)
    {
        var userCreator = ask.Labels.UserCreator;
        var queue = GrainFactory.GetGrain<IAskQueue>(userCreator.ToString());
        var queued = new QueuedAsk
        {
            AskId = askId,
            UserCreator = userCreator.ToString(),
            EngineType = ask.Labels.EngineType.ToString(),
            RequestedBy = ask.RequestedBy,
            Deadline = deadline,
        };
        var queuedAt = time.GetUtcNow();
        var maxQueued = engineOptions.Value.MaxQueuedAsks;
        var turn = await queue.Enter(queued, maxQueued);
        if (turn == QueueTurn.Full)
        {
            var result = await Create(engineId, ask, deadline, lockForAsker, null, cancellationToken);
            return result.Error is { } error && IsNoRoom(error)
                ? AskResult.Failed(error with { Detail = $"{error.Detail} The queue of {userCreator} is full ({maxQueued} asks wait, {EngineOptions.SectionName}:MaxQueuedAsks), so the ask did not wait." })
                : result;
        }

        LinkisError? refusal = null;
        try
        {
            while (true)
            {
                if (turn == QueueTurn.MayTry)
                {
                    var result = await Create(engineId, ask, deadline, lockForAsker, () => LeaveQueue(queue, askId), cancellationToken);
                    if (result.Error is not { } error || !IsNoRoom(error) || !await CouldFitOnceRoomAppears(ask, error))
                    {
                        return result;
                    }

                    if (refusal is null)
                    {
                        // Waiting for room is not starting an engine: the key's other asks need not wait behind it.
                        await GiveBackCreationSlot(pool, engineId);
                    }

                    refusal = error;
                    // The refused engine id's tickets are released, and a ledger refuses a released ticket ever after.
                    engineId = NewEngineId();
                    await queue.Refused(askId, error.Detail);
                }

                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return AskResult.Failed(Waited(refusal, userCreator, queuedAt));
                }

                turn = turn == QueueTurn.Gone
                    ? await queue.Enter(queued, maxQueued)
                    : await queue.AwaitTurn(askId, remaining < MaxTurnWait ? remaining : MaxTurnWait, cancellationToken);
                if (turn == QueueTurn.Full)
                {
                    return AskResult.Failed(Waited(refusal, userCreator, queuedAt));
                }
            }
        }
        finally
        {
            await LeaveQueue(queue, askId);
        }
    }

    /// <summary>The refusal an ask got last (or, if it never had a turn, that it got none), and how long it waited.</summary>
    private LinkisError Waited(LinkisError? refusal, UserCreatorLabel userCreator, DateTimeOffset queuedAt)
    {
        var waited = time.GetUtcNow() - queuedAt;
        var error = refusal ?? new LinkisError(LinkisErrorKind.Unavailable, "No room in time",
            $"asks of {userCreator} that came before it waited for room the whole time, so it never had its turn.");
        return error with
        {
            Detail = $"{error.Detail} The ask waited {waited.TotalSeconds:0.0} s in the queue of {userCreator} for room, until its timeout; see GET /api/v1/engines/queue.",
            WaitedSeconds = Math.Round(waited.TotalSeconds, 3),
        };
    }

    /// <summary>A refusal that room could end: the quota or the nodes are full, and an engine ending may make room.</summary>
    private static bool IsNoRoom(LinkisError error) => error.Kind == LinkisErrorKind.QuotaExceeded || error.Title == NoNodeTitle;

    /// <summary>
    /// Whether room that appears could ever take the ask: it fits within the quota's limit, and some node its labels
    /// allow has the capacity for it. One that never could is answered at once, rather than hold up the asks behind it.
    /// </summary>
    private async Task<bool> CouldFitOnceRoomAppears(ValidAsk ask, LinkisError refusal)
    {
        if (refusal.Quota is { } quota)
        {
            return ask.Resources.FitsWithin(quota.Max);
        }

        var nodes = await ReadNodes(time.GetUtcNow(), refresh: false);
        var allowed = NodeSelector.Matching(nodes, ask.Labels);
        return nodes.Any(n => allowed.Contains(n.Name) && ask.Resources.FitsWithin(n.Capacity));
    }

    /// <summary>Starts the engine, and once more on another node when the first node's failure was its own.</summary>
    private async Task<AskResult> Create(
        string engineId, ValidAsk ask, DateTimeOffset deadline, bool lockForAsker, Func<Task>? booked, CancellationToken cancellationToken)
    {
        var (result, node, nodeFault) = await CreateOnce(engineId, ask, deadline, lockForAsker, new Dictionary<string, string>(), booked, cancellationToken);
        if (!nodeFault || node is null || deadline - time.GetUtcNow() < MinRetryTime)
        {
            return result;
        }

        // Once only: a second node failing the same ask says more about the ask than about the nodes. And only when
        // another node could take it, so a lone node's failure is answered as it is.
        var excluded = new Dictionary<string, string>(StringComparer.Ordinal) { [node] = $"the engine's start there just failed ({result.Error?.Detail})" };
        if (NodeSelector.Rank(await ReadNodes(time.GetUtcNow(), refresh: false), ask.Labels, ask.Resources, excluded, _placedSinceRead, Random.Shared, out _).Count == 0)
        {
            return result;
        }

        var retryId = NewEngineId();
        LogStartRetried(engineId, node, retryId, result.Error?.Detail ?? "");
        var (retry, retryNode, _) = await CreateOnce(retryId, ask, deadline, lockForAsker, excluded, null, cancellationToken);
        // No other node could take it: the first failure is the one worth hearing.
        return retryNode is null ? result : retry;
    }

    private async Task<(AskResult Result, string? Node, bool NodeFault)> CreateOnce(
        string engineId, ValidAsk ask, DateTimeOffset deadline, bool lockForAsker, IReadOnlyDictionary<string, string> excluded,
        Func<Task>? booked, CancellationToken cancellationToken)
    {
        var options = engineOptions.Value;
        var userLedger = GrainFactory.GetGrain<IResourceLedgerBooking>(ask.Labels.LedgerKey);
        var userLock = await userLedger.TryLock(engineId, ask.Resources, options.LockTtl, ask.Labels.EngineType.ToString());
        if (!userLock.Granted)
        {
            return (AskResult.Failed(QuotaExceeded(ask.Labels, userLock)), null, false);
        }

        var node = await LockNode(engineId, ask, excluded);
        if (node.Chosen is null)
        {
            await userLedger.Release(engineId);
            return (AskResult.Failed(new LinkisError(LinkisErrorKind.Unavailable, NoNodeTitle,
                node.Rejections.Count == 0 ? "no worker node has reported yet" : string.Join("; ", node.Rejections))), null, false);
        }

        if (booked is not null)
        {
            await booked();
        }

        var startTimeout = deadline - time.GetUtcNow();
        if (startTimeout > options.StartTimeout)
        {
            startTimeout = options.StartTimeout;
        }

        var spec = new EngineStartSpec
        {
            Labels = ask.Labels,
            Node = node.Chosen,
            Resources = ask.Resources,
            IdleTimeout = ask.IdleTimeout,
            StartTimeout = startTimeout > TimeSpan.Zero ? startTimeout : TimeSpan.FromMilliseconds(1),
            Launch = ask.Plugin.BuildLaunch(ask.Properties),
            Properties = ask.Properties,
            PropertySources = ask.PropertySources,
            MaxLifetime = ask.MaxLifetime,
            MaxExecutions = ask.MaxExecutions,
            RequestedBy = ask.RequestedBy,
            Ticket = engineId,
            UserLedger = ask.Labels.LedgerKey,
            LockedBy = lockForAsker ? ask.RequestedBy : null,
            WarmPool = ask.WarmPool,
            Share = ask.Share,
            Sharers = ask.Sharer is { } sharer ? [sharer] : [],
            Job = ask.Job,
        };

        StartResult result;
        try
        {
            var engine = GrainFactory.GetGrain<IEngineLifecycle>(engineId);
            result = await NodePlacementHint.Call(membership, node.Chosen, () => engine.Start(spec, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The asker went away. The engine grain got the cancellation too and ends itself; if the start never
            // reached it (the ask was cancelled before), nobody holds the tickets but this ask.
            await ReleaseIfNeverStarted(engineId, node.Chosen, ask.Labels.LedgerKey);
            throw;
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // The start call failed or timed out: the engine may or may not exist, and may have taken over the
            // tickets. Ending it releases them if it does; if it does not, they are given back here.
            LogStartCallFailed(e, engineId);
            await EndUnansweredStart(engineId, node.Chosen, ask.Labels.LedgerKey);
            return (AskResult.Failed(TransientFailures.ToError(e, "The engine could not be started")), node.Chosen, false);
        }

        return result.Error is { } error
            ? (AskResult.Failed(error), node.Chosen, result.NodeFault)
            : (new AskResult { Engine = result.Engine, Reused = false }, node.Chosen, false);
    }

    private static LinkisError QuotaExceeded(LabelSet labels, LockResult refused)
    {
        var fix = refused.Quota is { Engines.Count: > 0 }
            ? $"Kill one of those engines (DELETE /api/v1/engines/{{id}}), wait for one to end, or have an admin raise the quota (PUT /api/v1/quotas/{labels.UserCreator})."
            : $"Ask for less, or have an admin raise the quota (PUT /api/v1/quotas/{labels.UserCreator}).";
        return new LinkisError(LinkisErrorKind.QuotaExceeded, "Quota exceeded", $"{refused.Describe(labels.LedgerKey)}. {fix}") { Quota = refused.Quota };
    }

    /// <summary>Kills the engine of a start call that got no answer (it releases its tickets), or releases them itself.</summary>
    private async Task EndUnansweredStart(string engineId, string node, string userLedgerKey)
    {
        try
        {
            if (await GrainFactory.GetGrain<IEngineConnGrain>(engineId).Kill("the ask that started it failed") is not null)
            {
                return;
            }
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogStartCallFailed(e, engineId);
        }

        await ReleaseTickets(engineId, node, userLedgerKey);
    }

    private async Task ReleaseIfNeverStarted(string engineId, string node, string userLedgerKey)
    {
        try
        {
            if (await GrainFactory.GetGrain<IEngineConnGrain>(engineId).GetInfo() is not null)
            {
                return;
            }
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogStartCallFailed(e, engineId);
        }

        await ReleaseTickets(engineId, node, userLedgerKey);
    }

    /// <summary>No engine took the tickets (or its grain is out of reach): give them back; an unreachable ledger lets them lapse.</summary>
    private async Task ReleaseTickets(string engineId, string node, string userLedgerKey)
    {
        try
        {
            await Task.WhenAll(
                GrainFactory.GetGrain<IResourceLedgerBooking>(userLedgerKey).Release(engineId),
                GrainFactory.GetGrain<IResourceLedgerBooking>(LedgerKeys.ForNode(node)).Release(engineId));
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogStartCallFailed(e, engineId);
        }
    }

    /// <summary>
    /// A call the ask's answer does not depend on: a place in a queue that is not given up lapses at the ask's deadline,
    /// a creation slot that is not given back after its lifetime. A transient failure is logged, not thrown.
    /// </summary>
    private async Task BestEffort(Func<Task> call, string id)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            LogStartCallFailed(e, id);
        }
    }

    private Task LeaveQueue(IAskQueue queue, string askId) => BestEffort(() => queue.Leave(askId), askId);

    private Task LeaveLeaseQueue(IEnginePoolGrain pool, string askId) => BestEffort(() => pool.Leave(askId), askId);

    private Task GiveBackCreationSlot(IEnginePoolGrain pool, string engineId) => BestEffort(() => pool.CancelCreation(engineId), engineId);

    private async Task<(string? Chosen, IReadOnlyList<string> Rejections)> LockNode(string engineId, ValidAsk ask, IReadOnlyDictionary<string, string> excluded)
    {
        var now = time.GetUtcNow();
        var reports = await ReadNodes(now, refresh: false);
        var ranked = NodeSelector.Rank(reports, ask.Labels, ask.Resources, excluded, _placedSinceRead, Random.Shared, out var rejections);
        if (ranked.Count == 0)
        {
            reports = await ReadNodes(now, refresh: true);
            ranked = NodeSelector.Rank(reports, ask.Labels, ask.Resources, excluded, _placedSinceRead, Random.Shared, out rejections);
        }

        var refused = new List<string>(rejections);
        foreach (var candidate in ranked)
        {
            var nodeLedger = LedgerKeys.ForNode(candidate.Name);
            var result = await GrainFactory.GetGrain<IResourceLedgerBooking>(nodeLedger).TryLock(engineId, ask.Resources, engineOptions.Value.LockTtl);
            if (result.Granted)
            {
                _placedSinceRead[candidate.Name] = _placedSinceRead.GetValueOrDefault(candidate.Name) + 1;
                return (candidate.Name, refused);
            }

            refused.Add($"{candidate.Name}: {string.Join("; ", result.Shortfalls)}");
        }

        return (null, refused);
    }

    private async Task<IReadOnlyList<NodeReport>> ReadNodes(DateTimeOffset now, bool refresh)
    {
        if (refresh || _nodes.Count == 0 || now - _nodesReadAt > TimeSpan.FromSeconds(1))
        {
            _nodes = await GrainFactory.GetGrain<INodeDirectoryGrain>(0).List();
            _nodesReadAt = now;
            _placedSinceRead.Clear();
        }

        return _nodes;
    }

    private static string NewEngineId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
