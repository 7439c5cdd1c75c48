using Linkis.Orleans.Abstractions.Queue;

namespace Linkis.Orleans.Grains.Queue;

/// <summary>
/// The asks of one user-creator that found no room (its quota or the nodes full) and wait for it, first come first
/// served. Each ask in it is in one state:
/// <code>
///            Enter, nobody waits                 booked, or failed for another reason
///   (new) ─────────────────────────► Trying ─────────────────────────────────────────► (left)
///     │                                 │ Refused
///     │ Enter, asks wait                ▼                 Refused
///     └──────────────────────────► Waiting ◄────────────────────── Turn ──booked──► (left)
///                                      │ first waiting, and room may have appeared  ▲
///                                      └─────────────(signal or poll)───────────────┘
///   any state ──deadline──► (left)    Turn ──not heard of for TurnLapse──► (left)    others ──silent──► (left)
/// </code>
/// Only the first waiting ask is given a turn, and one at a time, so room that appears goes to the ask that waited
/// longest; a new ask tries at once only while nobody waits. Its ledger signals when it released something or its
/// quota changed; node capacity is not signalled, so the first waiting ask also tries again every poll interval. The
/// queue is memory only: its asks are live calls, which end with their silos anyway.
/// </summary>
public sealed partial class AskQueueGrain(TimeProvider time, ILogger<AskQueueGrain> logger) : Grain, IAskQueueGrain, IAskQueue
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // A turn is a few ledger calls long (the ask leaves once it is booked); one not heard of for this long lost its asker.
    private static readonly TimeSpan TurnLapse = TimeSpan.FromSeconds(10);

    // A waiting ask calls again within its last wait's timeout; one silent this much longer lost its asker (its silo
    // died, or its leave did not arrive), and must not hold the asks behind it until its deadline.
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(20);

    /// <summary>
    /// One ask's place: <paramref name="TriedAt"/> is the room version its last try began at, so a signal during a try
    /// is not lost; <paramref name="HeardUntil"/> is when it is overdue to call again.
    /// </summary>
    private sealed record Place(QueuedAsk Ask, long TriedAt, DateTimeOffset Since, DateTimeOffset HeardUntil);

    private readonly List<Place> _line = [];
    private long _roomVersion;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string Key => this.GetPrimaryKeyString();

    public Task<QueueTurn> Enter(QueuedAsk ask, int maxQueued)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (IndexOf(ask.AskId) is var index and >= 0)
        {
            return Task.FromResult(_line[index].Ask.State == QueuedAskState.Waiting ? QueueTurn.Wait : QueueTurn.MayTry);
        }

        if (_line.Count >= maxQueued)
        {
            LogQueueFull(Key, ask.AskId, _line.Count);
            return Task.FromResult(QueueTurn.Full);
        }

        var behindOthers = _line.Exists(p => p.Ask.State != QueuedAskState.Trying);
        _line.Add(new Place(
            ask with
            {
                State = behindOthers ? QueuedAskState.Waiting : QueuedAskState.Trying,
                WaitingFor = behindOthers ? "the asks ahead of it in the queue" : null,
                QueuedAt = now,
            },
            _roomVersion,
            now,
            now + Silence));
        GrainFactory.GetGrain<IAskQueueDirectoryWriter>(0).Register(Key).Ignore();
        return Task.FromResult(behindOthers ? QueueTurn.Wait : QueueTurn.MayTry);
    }

    public Task Refused(string askId, string why)
    {
        if (IndexOf(askId) is var index and >= 0)
        {
            var place = _line[index];
            var now = time.GetUtcNow();
            _line[index] = place with { Ask = place.Ask with { State = QueuedAskState.Waiting, WaitingFor = why }, Since = now, HeardUntil = now + Silence };
            LogAskWaits(Key, askId, index + 1, why);
            if (place.Ask.State == QueuedAskState.Turn)
            {
                // The turn is free again: the first waiting ask, which may be another, must hear of it.
                Signal();
            }
        }

        return Task.CompletedTask;
    }

    public async Task<QueueTurn> AwaitTurn(string askId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + timeout;
        while (true)
        {
            Prune(now);
            var index = IndexOf(askId);
            if (index < 0)
            {
                return QueueTurn.Gone;
            }

            var place = _line[index] = _line[index] with { HeardUntil = until + Silence };
            if (place.Ask.State != QueuedAskState.Waiting)
            {
                return QueueTurn.MayTry;
            }

            var wake = until;
            if (IsFirstWaiting(index) && !_line.Exists(p => p.Ask.State == QueuedAskState.Turn))
            {
                var poll = place.Since + PollInterval;
                if (_roomVersion > place.TriedAt || now >= poll)
                {
                    _line[index] = place with { Ask = place.Ask with { State = QueuedAskState.Turn }, TriedAt = _roomVersion, Since = now };
                    return QueueTurn.MayTry;
                }

                wake = poll < until ? poll : until;
            }

            if (now >= until)
            {
                return QueueTurn.Wait;
            }

            try
            {
                await _changed.Task.WaitAsync(wake - now, time, cancellationToken);
            }
            catch (TimeoutException)
            {
            }

            now = time.GetUtcNow();
        }
    }

    public Task Leave(string askId)
    {
        if (IndexOf(askId) is var index and >= 0)
        {
            // An ask that had its turn and left booked what room it found, or gave up on it: the next may find some left.
            if (_line[index].Ask.State == QueuedAskState.Turn)
            {
                _roomVersion++;
            }

            Remove(index);
        }

        return Task.CompletedTask;
    }

    public Task RoomMayHaveAppeared()
    {
        _roomVersion++;
        Signal();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueuedAsk>> List()
    {
        var now = time.GetUtcNow();
        Prune(now);
        return Task.FromResult<IReadOnlyList<QueuedAsk>>([.. _line.Select((p, i) => p.Ask with { Position = i + 1, Waited = now - p.Ask.QueuedAt })]);
    }

    private bool IsFirstWaiting(int index) => _line.FindIndex(p => p.Ask.State == QueuedAskState.Waiting) == index;

    private int IndexOf(string askId) => _line.FindIndex(p => p.Ask.AskId == askId);

    /// <summary>Drops asks past their deadline, and those whose asker went silent.</summary>
    private void Prune(DateTimeOffset now)
    {
        for (var i = _line.Count - 1; i >= 0; i--)
        {
            var place = _line[i];
            if (place.Ask.Deadline <= now)
            {
                Remove(i);
            }
            else if (place.Ask.State == QueuedAskState.Turn && now - place.Since > TurnLapse)
            {
                LogTurnLapsed(Key, place.Ask.AskId, TurnLapse.TotalSeconds);
                _roomVersion++;
                Remove(i);
            }
            else if (place.Ask.State != QueuedAskState.Turn && place.HeardUntil < now)
            {
                LogAskSilent(Key, place.Ask.AskId, (now - place.HeardUntil + Silence).TotalSeconds);
                Remove(i);
            }
        }
    }

    private void Remove(int index)
    {
        _line.RemoveAt(index);
        if (_line.Count == 0)
        {
            GrainFactory.GetGrain<IAskQueueDirectoryWriter>(0).Unregister(Key).Ignore();
        }

        Signal();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
