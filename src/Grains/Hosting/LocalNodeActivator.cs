using Linkis.Orleans.Grains.Nodes;

namespace Linkis.Orleans.Grains.Hosting;

/// <summary>
/// Wakes this silo's node manager as the silo becomes active, so the node reports itself and can take engines before
/// the first ask arrives.
/// </summary>
internal sealed partial class LocalNodeActivator(IGrainFactory grainFactory, ILocalSiloDetails silo, ILogger<LocalNodeActivator> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalNodeActivator), ServiceLifecycleStage.Active, OnActive, _ => Task.CompletedTask);

    private async Task OnActive(CancellationToken cancellationToken)
    {
        var report = await grainFactory.GetGrain<INodeManagerGrain>(silo.Name).GetReport().WaitAsync(cancellationToken);
        LogNodeUp(report.Name, report.Capacity.ToString(), report.EngineHostKind);
    }
}
