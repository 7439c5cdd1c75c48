using Linkis.Orleans.Grains.WarmPools;

namespace Linkis.Orleans.Grains.Hosting;

/// <summary>
/// Keeps the warm pools going from every silo: at start (so a pool fills as soon as the cluster is up) and every
/// <see cref="Interval"/> after (so a pool whose grain went with a dead silo, or whose quota changed, is seen to soon).
/// Each keep is one call to the warm pool directory; the pools themselves fill on their own events.
/// </summary>
internal sealed partial class WarmPoolKeeper(IGrainFactory grainFactory, TimeProvider time, ILogger<WarmPoolKeeper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private Task _keeping = Task.CompletedTask;

    private IWarmPoolKeeper Keeper => grainFactory.GetGrain<IWarmPoolKeeper>(0);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WarmPoolKeeper), ServiceLifecycleStage.Active, OnActive, OnStop);

    private Task OnActive(CancellationToken cancellationToken)
    {
        _keeping = Task.Run(KeepAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _keeping.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task KeepAsync()
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await Keeper.KeepAll().WaitAsync(Interval, _stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    LogKeepFailed(Interval.TotalSeconds, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(_stopping.Token));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
