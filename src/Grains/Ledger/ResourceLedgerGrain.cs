using Linkis.Orleans.Abstractions.Engines;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Events;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Queue;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>
/// One resource ledger: a node's (<c>node=worker-1</c>, its capacity) or a user-creator's (<c>userCreator=alice-IDE</c>, its
/// quotas). The rules of its tickets are <see cref="LedgerBook"/>'s; this grain keeps them, saves every change before it
/// answers, and expires locks on time. While locks are open a grain timer expires them; a reminder backs it up, so a
/// lock whose asker vanished is released even if the ledger is deactivated or its silo restarts and nobody calls it
/// again. A user-creator's quota lives here too (<see cref="IUserQuotaGrain"/>), so a quota change and the next lock
/// are ordered.
/// </summary>
[NodeLedgerPlacement]
public sealed partial class ResourceLedgerGrain(
    [PersistentState("ledger", StorageNames.Linkis)] IPersistentState<LedgerState> state,
    IOptions<QuotaOptions> quotas,
    IOptions<EngineOptions> engineOptions,
    IOptions<LedgerOptions> ledgerOptions,
    ILinkisEventPublisher events,
    TimeProvider time,
    ILogger<ResourceLedgerGrain> logger) : Grain, IResourceLedgerGrain, IResourceLedgerBooking, IUserQuotaGrain, IRemindable
{
    private const string ExpiryReminder = "expire-locks";
    private static readonly TimeSpan ExpiryCheckPeriod = TimeSpan.FromSeconds(1);
    private IGrainTimer? _expiryTimer;
    private LedgerBook _book = null!;

    // What the key says, read once: every lock needs it.
    private UserCreatorLabel? _userCreator;

    // The configured quota of each engine type (and of all, under LedgerState.AllEngineTypes), looked up once: options
    // do not change while the silo runs, and every lock and every save needs them.
    private readonly Dictionary<string, QuotaValues?> _configured = new(StringComparer.Ordinal);
    private bool _isNode;

    // A lock was refused since room last appeared: asks may be waiting in the user-creator's queue for room.
    private bool _refusedSinceRoom;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _book = new LedgerBook(state.State);
        _isNode = LedgerKeys.IsNodeKey(Key);
        _userCreator = LedgerKeys.TryGetUserCreator(Key, out var userCreator) ? userCreator : null;
        await GrainFactory.GetGrain<ILedgerDirectoryWriter>(0).Register(Key);
        EnsureExpiryTimer();
        // A node's ledger is also reconciled by its node manager when that is activated.
        var interval = ledgerOptions.Value.ReconcileInterval;
        this.RegisterGrainTimer(_ => Reconcile(), new GrainTimerCreationOptions(interval, interval));
        UpdateGauges();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LedgerGauges.Remove(Key);
        return Task.CompletedTask;
    }

    /// <summary>Saves the book's state and shows it on the ledger gauges; a failed save leaves the book as it was saved.</summary>
    private async Task Save(LedgerState previous)
    {
        state.State = _book.State;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            _book.Update(_ => previous);
            throw;
        }

        UpdateGauges();
        SignalRoom(previous);
    }

    /// <summary>Tells the user-creator's queue when room may have appeared: a ticket went, or a quota changed.</summary>
    private void SignalRoom(LedgerState previous)
    {
        var current = _book.State;
        if (_refusedSinceRoom && _userCreator is { } userCreator
            && (current.Tickets.Count < previous.Tickets.Count || !ReferenceEquals(current.Quotas, previous.Quotas)))
        {
            _refusedSinceRoom = false;
            GrainFactory.GetGrain<IAskQueue>(userCreator.ToString()).RoomMayHaveAppeared().Ignore();
        }
    }

    // ---- booking ----

    public async Task<LockResult> TryLock(string ticket, ResourceVector resource, TimeSpan ttl, string? engineType = null)
    {
        var previous = _book.State;
        var now = time.GetUtcNow();
        var decision = _book.TryLock(ticket, resource, engineType, now, now + ttl, Limits(engineType), out var changed);
        if (!decision.Granted)
        {
            LogLockRefused(Key, ticket, string.Join("; ", decision.Shortfalls));
            _refusedSinceRoom = true;
            return new LockResult(false, decision.Left, decision.Shortfalls) { Quota = decision.Refusing is { } limit ? ToQuotaLimit(limit) : null };
        }

        if (changed)
        {
            await Save(previous);
            EnsureExpiryTimer();
            await EnsureExpiryReminder();
        }

        return new LockResult(true, decision.Left, []);
    }

    public async Task<bool> Confirm(string ticket)
    {
        var previous = _book.State;
        if (!_book.Confirm(ticket, out var changed))
        {
            LogConfirmUnknown(Key, ticket);
            return false;
        }

        if (changed)
        {
            await Save(previous);
        }

        return true;
    }

    public async Task Release(string ticket)
    {
        var previous = _book.State;
        if (_book.Release(ticket))
        {
            await Save(previous);
        }
    }

    public async Task SetMax(ResourceVector max)
    {
        if (_book.State.Max == max)
        {
            return;
        }

        var previous = _book.State;
        _book.Update(s => s with { Max = max });
        await Save(previous);
    }

    private void UpdateGauges()
    {
        var current = _book.State;
        LedgerGauges.Update(Key, AllLimit().Max, current.Sum(TicketState.Confirmed), current.Sum(TicketState.Locked));
    }

    public Task<LedgerSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    private LedgerSnapshot Snapshot()
    {
        var current = _book.State;
        return new LedgerSnapshot(
            Key,
            AllLimit().Max,
            current.Sum(TicketState.Confirmed),
            current.Sum(TicketState.Locked),
            current.Tickets.Values.OrderBy(t => t.CreatedAt).ToList());
    }

    // ---- reconciliation ----

    private const int ReconcileConcurrency = 256;

    public async Task<int> Reconcile()
    {
        var now = time.GetUtcNow();
        var grace = ledgerOptions.Value.ReconcileGrace;
        var confirmed = _book.State.Tickets.Values.Where(t => t.State == TicketState.Confirmed).ToList();
        if (confirmed.Count == 0)
        {
            return 0;
        }

        var node = _isNode ? Key[LedgerKeys.NodePrefix.Length..] : null;
        var stale = new List<(LedgerTicket Ticket, string Why)>();
        foreach (var batch in confirmed.Chunk(ReconcileConcurrency))
        {
            var infos = await Task.WhenAll(batch.Select(t => GrainFactory.GetGrain<IEngineConnGrain>(t.Id).GetInfo()));
            for (var i = 0; i < batch.Length; i++)
            {
                var why = infos[i] switch
                {
                    null => "no engine has this id",
                    { EndedAt: { } ended } when now - ended >= grace => $"its engine ended at {ended:u}",
                    { Node: var at } when node is not null && at != node => $"its engine runs on node {at}",
                    _ => null,
                };
                if (why is not null)
                {
                    stale.Add((batch[i], why));
                }
            }
        }

        if (stale.Count == 0)
        {
            return 0;
        }

        var previous = _book.State;
        var repairs = 0;
        foreach (var (ticket, why) in stale)
        {
            // Released by its engine meanwhile (the checks above awaited): nothing to repair.
            if (_book.Release(ticket.Id))
            {
                LogRepairReleased(Key, ticket.Id, ticket.Resource.ToString(), why);
                TellRepaired($"released ticket {ticket.Id} ({ticket.Resource}): {why}");
                CountRepair("released");
                repairs++;
            }
        }

        if (repairs > 0)
        {
            await Save(previous);
        }

        return repairs;
    }

    public async Task<bool> Restore(string ticket, ResourceVector resource, string? engineType, string why)
    {
        var previous = _book.State;
        if (!_book.Restore(ticket, resource, engineType, time.GetUtcNow()))
        {
            return false;
        }

        await Save(previous);
        LogRepairRestored(Key, ticket, resource.ToString(), why);
        TellRepaired($"restored ticket {ticket} ({resource}): {why}");
        CountRepair("restored");
        return true;
    }

    private void CountRepair(string repair) =>
        LinkisTelemetry.LedgerRepairs.Add(1, new("ledger", _isNode ? "node" : "user"), new("repair", repair));

    // ---- limits and quotas ----

    /// <summary>The limits a lock of <paramref name="engineType"/> must fit under: of all tickets, and of its type if it has one.</summary>
    private IReadOnlyList<LedgerLimit> Limits(string? engineType)
    {
        var all = AllLimit();
        return engineType is not null && TypeLimit(engineType, all) is { } type ? [all, type] : [all];
    }

    private LedgerLimit AllLimit()
    {
        var current = _book.State;
        if (_isNode)
        {
            // A node's capacity is set by its node manager; until then nothing may be booked on it.
            return new LedgerLimit(null, current.Max ?? ResourceVector.Zero);
        }

        var defaults = quotas.Value.Default;
        if (_userCreator is not { } userCreator)
        {
            // The ledger of one user-creator and engine type, from before ledgers were kept per user-creator.
            return new LedgerLimit(null, current.Max ?? defaults);
        }

        if (current.Quotas.TryGetValue(LedgerState.AllEngineTypes, out var set))
        {
            return new LedgerLimit(null, set.Over(defaults), QuotaSource.Api);
        }

        return Configured(userCreator, null) is { } configured
            ? new LedgerLimit(null, configured.Over(defaults), QuotaSource.Configuration)
            : new LedgerLimit(null, defaults, QuotaSource.Default);
    }

    private LedgerLimit? TypeLimit(string engineType, LedgerLimit all)
    {
        if (_book.State.Quotas.TryGetValue(engineType, out var set))
        {
            return new LedgerLimit(engineType, set.Over(all.Max), QuotaSource.Api);
        }

        return _userCreator is { } userCreator && Configured(userCreator, engineType) is { } configured
            ? new LedgerLimit(engineType, configured.Over(all.Max), QuotaSource.Configuration)
            : null;
    }

    private QuotaValues? Configured(UserCreatorLabel userCreator, string? engineType)
    {
        var key = engineType ?? LedgerState.AllEngineTypes;
        if (!_configured.TryGetValue(key, out var values))
        {
            _configured[key] = values = quotas.Value.Configured(userCreator, engineType);
        }

        return values;
    }

    private QuotaLimit ToQuotaLimit(LedgerLimit limit) => new(
        _userCreator?.ToString() ?? Key,
        limit.EngineType,
        limit.Max,
        limit.Source,
        _book.Held(limit.EngineType),
        [.. _book.HeldBy(limit.EngineType).Select(t => t.Id)]);

    public Task<QuotaSnapshot> GetQuota() => Task.FromResult(Quota());

    public async Task<QuotaSnapshot> SetQuota(string? engineType, QuotaValues values)
    {
        UserCreatorOfQuota();
        var previous = _book.State;
        _book.Update(s => s with { Quotas = s.Quotas.SetItem(engineType ?? LedgerState.AllEngineTypes, values) });
        await Save(previous);
        LogQuotaSet(Key, engineType ?? "all engine types", AllLimit().Max.ToString());
        TellQuotaChanged(engineType, $"set for {engineType ?? "all engine types"}: memory {values.Memory?.ToString() ?? "-"} bytes, cores {values.Cores?.ToString() ?? "-"}, instances {values.Instances?.ToString() ?? "-"}");
        return Quota();
    }

    public async Task<QuotaSnapshot> ClearQuota(string? engineType)
    {
        UserCreatorOfQuota();
        var key = engineType ?? LedgerState.AllEngineTypes;
        if (_book.State.Quotas.ContainsKey(key))
        {
            var previous = _book.State;
            _book.Update(s => s with { Quotas = s.Quotas.Remove(key) });
            await Save(previous);
            LogQuotaCleared(Key, engineType ?? "all engine types");
            TellQuotaChanged(engineType, $"cleared for {engineType ?? "all engine types"}: the configured one or the default applies");
        }

        return Quota();
    }

    private void TellRepaired(string message) => events.Publish(new LinkisEvent
    {
        At = time.GetUtcNow(),
        Type = LinkisEventTypes.LedgerRepaired,
        User = _userCreator?.User,
        UserCreator = _userCreator?.ToString(),
        Node = LedgerKeys.IsNodeKey(Key) ? Key[LedgerKeys.NodePrefix.Length..] : null,
        Message = $"{Key}: {message}",
    });

    private void TellQuotaChanged(string? engineType, string message) => events.Publish(new LinkisEvent
    {
        At = time.GetUtcNow(),
        Type = LinkisEventTypes.QuotaChanged,
        User = _userCreator?.User,
        UserCreator = _userCreator?.ToString(),
        EngineType = engineType,
        Message = message,
    });

    private UserCreatorLabel UserCreatorOfQuota() => _userCreator
        ?? throw new InvalidOperationException($"ledger {Key} is not a user-creator's ledger ({LedgerKeys.UserCreatorPrefix}<user>-<creator>): it has no quota");

    private QuotaSnapshot Quota()
    {
        var userCreator = UserCreatorOfQuota();
        var all = AllLimit();
        var types = _book.State.Quotas.Keys.Where(k => k != LedgerState.AllEngineTypes)
            .Concat(quotas.Value.ConfiguredEngineTypes)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(t => TypeLimit(t, all))
            .OfType<LedgerLimit>()
            .Select(ToQuotaLimit)
            .ToList();
        return new QuotaSnapshot(userCreator.ToString(), ToQuotaLimit(all), types);
    }

    // ---- expiry ----

    private void EnsureExpiryTimer()
    {
        var hasLocks = _book.HasLocks;
        if (hasLocks && _expiryTimer is null)
        {
            _expiryTimer = this.RegisterGrainTimer(ExpireLocks, new GrainTimerCreationOptions(ExpiryCheckPeriod, ExpiryCheckPeriod) { KeepAlive = true });
        }
        else if (!hasLocks && _expiryTimer is not null)
        {
            _expiryTimer.Dispose();
            _expiryTimer = null;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ExpiryReminder)
        {
            return;
        }

        await ExpireLocks(CancellationToken.None);
        if (!_book.HasLocks)
        {
            // Nothing left to expire: stop waking this ledger until the next lock.
            var reminder = await this.GetReminder(ExpiryReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            var previous = _book.State;
            _book.Update(s => s with { ExpiryReminderRegistered = false });
            await Save(previous);
        }
    }

    private async Task EnsureExpiryReminder()
    {
        if (_book.State.ExpiryReminderRegistered)
        {
            return;
        }

        var period = engineOptions.Value.LockExpiryReminderPeriod;
        await this.RegisterOrUpdateReminder(ExpiryReminder, period, period);
        var previous = _book.State;
        _book.Update(s => s with { ExpiryReminderRegistered = true });
        await Save(previous);
    }

    private async Task ExpireLocks(CancellationToken cancellationToken)
    {
        var previous = _book.State;
        var expired = _book.Expire(time.GetUtcNow());
        if (expired.Count > 0)
        {
            foreach (var ticket in expired)
            {
                LogLockExpired(Key, ticket.Id, ticket.Resource.ToString());
            }

            await Save(previous);
        }

        EnsureExpiryTimer();
    }
}
