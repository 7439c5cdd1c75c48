using Linkis.Orleans.Abstractions.Ledger;
using Linkis.Orleans.Abstractions.Resources;
using Linkis.Orleans.Grains.Options;
using Linkis.Orleans.Grains.Placement;
using Linkis.Orleans.Grains.Telemetry;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Ledger;

/// <summary>
/// One resource ledger. A ticket's life:
/// <code>
///   TryLock ──▶ Locked ──Confirm──▶ Confirmed (used)
///                 │                     │
///                 └──TTL / Release──────┴──Release──▶ gone
/// </code>
/// Every call is idempotent by ticket id; the check and the lock happen in one turn, so two asks can never both get
/// the last of something. While locks are open a grain timer expires them on time; a reminder backs it up, so a lock
/// whose asker vanished is released even if the ledger is deactivated or its silo restarts and nobody calls it again.
/// </summary>
[NodeLedgerPlacement]
public sealed partial class ResourceLedgerGrain(
    [PersistentState("ledger", StorageNames.Linkis)] IPersistentState<LedgerState> state,
    IOptions<QuotaOptions> quotas,
    IOptions<EngineOptions> engineOptions,
    TimeProvider time,
    ILogger<ResourceLedgerGrain> logger) : Grain, IResourceLedgerGrain, IResourceLedgerBooking, IRemindable
{
    private const string ExpiryReminder = "expire-locks";
    private static readonly TimeSpan ExpiryCheckPeriod = TimeSpan.FromSeconds(1);
    private IGrainTimer? _expiryTimer;

    private string Key => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await GrainFactory.GetGrain<ILedgerDirectoryWriter>(0).Register(Key);
        EnsureExpiryTimer();
        LedgerGauges.Update(Snapshot());
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LedgerGauges.Remove(Key);
        return Task.CompletedTask;
    }

    /// <summary>Saves the state and shows it on the ledger gauges.</summary>
    private async Task WriteState()
    {
        await state.WriteStateAsync();
        LedgerGauges.Update(Snapshot());
    }

    public async Task<LockResult> TryLock(string ticket, ResourceVector resource, TimeSpan ttl)
    {
        var current = state.State;
        if (current.Tickets.ContainsKey(ticket))
        {
            return new LockResult(true, Left(current), []);
        }

        var left = Left(current);
        if (!resource.FitsWithin(left))
        {
            var shortfalls = resource.Shortfalls(left);
            LogLockRefused(Key, ticket, string.Join("; ", shortfalls));
            return new LockResult(false, left, shortfalls);
        }

        var now = time.GetUtcNow();
        state.State = current with
        {
            Tickets = current.Tickets.SetItem(ticket, new LedgerTicket(ticket, resource, TicketState.Locked, now, now + ttl)),
        };
        await WriteState();
        EnsureExpiryTimer();
        await EnsureExpiryReminder();
        return new LockResult(true, Left(state.State), []);
    }

    public async Task<bool> Confirm(string ticket)
    {
        var current = state.State;
        if (!current.Tickets.TryGetValue(ticket, out var existing))
        {
            LogConfirmUnknown(Key, ticket);
            return false;
        }

        if (existing.State == TicketState.Confirmed)
        {
            return true;
        }

        state.State = current with
        {
            Tickets = current.Tickets.SetItem(ticket, existing with { State = TicketState.Confirmed, ExpiresAt = null }),
        };
        await WriteState();
        return true;
    }

    public async Task Release(string ticket)
    {
        var current = state.State;
        if (!current.Tickets.ContainsKey(ticket))
        {
            return;
        }

        state.State = current with { Tickets = current.Tickets.Remove(ticket) };
        await WriteState();
    }

    public async Task SetMax(ResourceVector max)
    {
        if (state.State.Max == max)
        {
            return;
        }

        state.State = state.State with { Max = max };
        await WriteState();
    }

    public Task<LedgerSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    private LedgerSnapshot Snapshot()
    {
        var current = state.State;
        return new LedgerSnapshot(
            Key,
            MaxOf(current),
            current.Sum(TicketState.Confirmed),
            current.Sum(TicketState.Locked),
            current.Tickets.Values.OrderBy(t => t.CreatedAt).ToList());
    }

    private ResourceVector Left(LedgerState current) =>
        MaxOf(current).SubtractOrZero(current.Sum(TicketState.Confirmed).Add(current.Sum(TicketState.Locked)));

    private ResourceVector MaxOf(LedgerState current) => current.Max ?? DefaultMax();

    private ResourceVector DefaultMax()
    {
        if (LedgerKeys.IsNodeKey(Key))
        {
            // A node's capacity is set by its node manager; until then nothing may be booked on it.
            return ResourceVector.Zero;
        }

        var q = quotas.Value;
        return ResourceVector.FromCores(q.DefaultMemory, q.DefaultCores, q.DefaultInstances);
    }

    private void EnsureExpiryTimer()
    {
        var hasLocks = HasLocks;
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
        if (!HasLocks)
        {
            // Nothing left to expire: stop waking this ledger until the next lock.
            var reminder = await this.GetReminder(ExpiryReminder);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }

            state.State = state.State with { ExpiryReminderRegistered = false };
            await WriteState();
        }
    }

    private bool HasLocks => state.State.Tickets.Values.Any(t => t.State == TicketState.Locked);

    private async Task EnsureExpiryReminder()
    {
        if (state.State.ExpiryReminderRegistered)
        {
            return;
        }

        var period = engineOptions.Value.LockExpiryReminderPeriod;
        await this.RegisterOrUpdateReminder(ExpiryReminder, period, period);
        state.State = state.State with { ExpiryReminderRegistered = true };
        await WriteState();
    }

    private async Task ExpireLocks(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = state.State.Tickets.Values.Where(t => t.State == TicketState.Locked && t.ExpiresAt <= now).ToList();
        if (expired.Count > 0)
        {
            foreach (var ticket in expired)
            {
                LogLockExpired(Key, ticket.Id, ticket.Resource.ToString());
            }

            state.State = state.State with { Tickets = state.State.Tickets.RemoveRange(expired.Select(t => t.Id)) };
            await WriteState();
        }

        EnsureExpiryTimer();
    }
}
