using Linkis.Orleans.Abstractions;
using Linkis.Orleans.Abstractions.Events;
using Linkis.Orleans.Grains.Hosting;

namespace Linkis.Orleans.Grains.Events;

/// <summary>
/// Follows the event log for the silo's <see cref="ILinkisEventListener"/>s, if it has any. A read that fails (the
/// log's silo went) is tried again from where it stopped; what the log lost meanwhile is logged as missed.
/// </summary>
internal sealed partial class EventListenerDispatcher(
    IEnumerable<ILinkisEventListener> listeners, IGrainFactory grains, TimeProvider time, ILogger<EventListenerDispatcher> logger)
    : SiloBackgroundWork
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ILinkisEventListener[] _listeners = [.. listeners];

    protected override async Task RunAsync(CancellationToken stopping)
    {
        if (_listeners.Length == 0)
        {
            return;
        }

        long? after = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                after ??= await grains.GetGrain<IEventLogGrain>(0).StartAt(0);
                await foreach (var page in EventLogFollower.FollowAsync(grains, after.Value, stopping))
                {
                    if (page.Missed)
                    {
                        LogMissed(after.Value);
                    }

                    foreach (var e in page.Events)
                    {
                        await TellAsync(e, stopping);
                        after = e.Sequence;
                    }
                }
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) && !stopping.IsCancellationRequested)
            {
                LogReadFailed(TransientFailures.Describe(e));
                await Task.Delay(RetryDelay, time, stopping);
            }
        }
    }

    private async Task TellAsync(LinkisEvent e, CancellationToken stopping)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.OnEventAsync(e, stopping);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                LogListenerFailed(exception, listener.GetType().Name, e.Type, e.Sequence);
            }
        }
    }
}
