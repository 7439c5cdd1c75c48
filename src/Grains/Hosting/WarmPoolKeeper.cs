using Linkis.Orleans.Grains.WarmPools;

namespace Linkis.Orleans.Grains.Hosting;

/// <summary>
/// Keeps the warm pools going from every silo: at start (so a pool fills as soon as the cluster is up) and every
/// <see cref="Interval"/> after (so a pool whose grain went with a dead silo, or whose quota changed, is seen to soon).
/// Each keep is one call to the warm pool directory; the pools themselves fill on their own events.
/// </summary>
internal sealed partial class WarmPoolKeeper(IGrainFactory grainFactory, TimeProvider time, ILogger<WarmPoolKeeper> logger) : SiloBackgroundWork
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await grainFactory.GetGrain<IWarmPoolKeeper>(0).KeepAll().WaitAsync(Interval, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogKeepFailed(Interval.TotalSeconds, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }
}
