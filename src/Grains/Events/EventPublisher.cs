using System.Threading.Channels;
using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Grains.Hosting;

namespace Linkis.Orleans.Grains.Events;

/// <summary>
/// The silo's one queue of events for the log: whatever its grains publish is sent in the order they published it, in
/// batches, one batch in flight at a time — calls in flight have no order in Orleans, so an engine's <c>ready</c> could
/// otherwise overtake its <c>starting</c>. A batch the log cannot take (its silo is going) is tried again; past
/// <see cref="MaxQueued"/> waiting the oldest are dropped, and readers learn of it as a gap.
/// </summary>
internal sealed partial class EventPublisher(IGrainFactory grains, TimeProvider time, ILogger<EventPublisher> logger)
    : SiloBackgroundWork, ILinkisEventPublisher
{
    private const int MaxQueued = 10_000;
    private const int MaxBatch = 256;
    private const int MaxAttempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<LinkisEvent> _queue = Channel.CreateBounded<LinkisEvent>(
        new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(LinkisEvent e) => _queue.Writer.TryWrite(e);

    protected override async Task RunAsync(CancellationToken stopping)
    {
        var log = grains.GetGrain<IEventLogGrain>(0);
        var batch = new List<LinkisEvent>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stopping))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await log.Publish([.. batch]).WaitAsync(stopping);
                    break;
                }
                catch (Exception e) when (TransientFailures.IsTransient(e) && !stopping.IsCancellationRequested)
                {
                    if (attempt == MaxAttempts)
                    {
                        LogDropped(batch.Count, TransientFailures.Describe(e));
                        break;
                    }

                    await Task.Delay(RetryDelay, time, stopping);
                }
            }

            batch.Clear();
        }
    }
}
