using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Linkis.Orleans.Grains.Events;

/// <summary>
/// The cluster's one lifecycle event log. It has no persisted state, only a window in memory:
/// <code>
///   Publish ──▶ each numbered, appended (the oldest dropped past Linkis:Events:Retained) ──▶ waiting readers woken
///   Publish ──▶ then each sent on the Orleans stream LinkisEventStream, when it is on
///   Read(after) ──▶ what is newer, at once ── or, when nothing is ──▶ waits (interleaved) until a Publish or its wait ends
/// </code>
/// Numbers start at the activation's time in microseconds since the epoch, so an activation after a restart numbers
/// above the last one, and a reader resuming from an old number learns it missed what the restart lost.
/// </summary>
public sealed partial class EventLogGrain(IOptions<EventOptions> options, TimeProvider time, ILogger<EventLogGrain> logger) : Grain, IEventLogGrain
{
    private readonly Queue<LinkisEvent> _window = new();
    private IAsyncStream<LinkisEvent>? _stream;
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _latest;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _latest = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        // Readers hold no activation; the window is the point of the grain, so it stays for as long as its silo does.
        DelayDeactivation(Timeout.InfiniteTimeSpan);
        if (options.Value.OrleansStream)
        {
            _stream = this.GetStreamProvider(LinkisEventStream.ProviderName).GetStream<LinkisEvent>(StreamId.Create(LinkisEventStream.Namespace, LinkisEventStream.Key));
        }

        return Task.CompletedTask;
    }

    public async Task Publish(IReadOnlyList<LinkisEvent> events)
    {
        var numbered = events.Select(e => e with { Sequence = ++_latest }).ToList();
        foreach (var e in numbered)
        {
            _window.Enqueue(e);
        }

        while (_window.Count > options.Value.Retained)
        {
            _window.Dequeue();
        }

        var arrived = _arrived;
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        arrived.SetResult();
        if (_stream is not null)
        {
            await SendOnStream(numbered);
        }
    }

    /// <summary>
    /// The stream is a courtesy to its subscribers: the events are in the log already, and a failure here must not make
    /// the publisher send them again.
    /// </summary>
    private async Task SendOnStream(List<LinkisEvent> numbered)
    {
        try
        {
            foreach (var e in numbered)
            {
                await _stream!.OnNextAsync(e);
            }
        }
        catch (Exception exception)
        {
            LogStreamFailed(exception, numbered.Count);
        }
    }

    public Task<long> StartAt(int backlog) =>
        Task.FromResult(backlog <= 0 || _window.Count == 0
            ? _latest
            : _window.ElementAt(Math.Max(0, _window.Count - backlog)).Sequence - 1);

    public async Task<EventPage> Read(long after, int max, TimeSpan wait)
    {
        if (after >= _latest && wait > TimeSpan.Zero)
        {
            await Task.WhenAny(_arrived.Task, Task.Delay(wait, time));
        }

        var oldest = _window.TryPeek(out var first) ? first.Sequence : _latest + 1;
        return new EventPage
        {
            // Numbers are consecutive within the window: the first one newer than `after` is at a known place.
            Events = [.. _window.Skip((int)Math.Clamp(after - oldest + 1, 0, _window.Count)).Take(Math.Max(1, max))],
            Latest = _latest,
            Missed = after < oldest - 1,
        };
    }
}
