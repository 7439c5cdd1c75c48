using Linkis.Orleans.Grains.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Hosting;

/// <summary>
/// Activates this silo's node manager when the silo starts, and keeps it active for as long as the silo runs: Orleans
/// deactivates every activation whose grain-directory registration was held by a silo that died — wherever the
/// activation lives — so another node's death can take this node's manager down, its report timer with it, and
/// nothing else would call it back. A call each <see cref="NodeOptions.ReportInterval"/> wakes it again (the
/// directory would call the node Lost after three missed reports); on a manager that is active it costs one local call.
/// </summary>
internal sealed partial class LocalNodeActivator(
    IGrainFactory grainFactory,
    ILocalSiloDetails silo,
    IOptions<NodeOptions> options,
    TimeProvider time,
    ILogger<LocalNodeActivator> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _keepingAwake = Task.CompletedTask;

    private INodeManagerGrain Manager => grainFactory.GetGrain<INodeManagerGrain>(silo.Name);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalNodeActivator), ServiceLifecycleStage.Active, OnActive, OnStop);

    private async Task OnActive(CancellationToken cancellationToken)
    {
        var report = await Manager.GetReport().WaitAsync(cancellationToken);
        LogNodeUp(report.Name, report.Capacity.ToString(), report.EngineHostKind);
        _keepingAwake = Task.Run(KeepAwakeAsync, CancellationToken.None);
    }

    private async Task OnStop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _keepingAwake.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task KeepAwakeAsync()
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                try
                {
                    await Manager.GetSiloName().WaitAsync(options.Value.ReportInterval, _stopping.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    LogKeepAwakeFailed(silo.Name, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }
}
