namespace Linkis.Orleans.Grains.Hosting;

/// <summary>
/// Work a silo runs in the background from the moment it is active until it stops: started off the lifecycle's own
/// turn, cancelled when the silo stops, and waited for (within the stop's own deadline) so nothing of it outlives the silo.
/// </summary>
internal abstract class SiloBackgroundWork : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, OnActive, OnStop);

    /// <summary>What must be done before the silo counts as active; then <see cref="RunAsync"/> starts.</summary>
    protected virtual Task OnActiveAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The background work; it should end soon after <paramref name="stopping"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    private async Task OnActive(CancellationToken cancellationToken)
    {
        await OnActiveAsync(cancellationToken);
        _running = Task.Run(async () =>
        {
            try
            {
                await RunAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
