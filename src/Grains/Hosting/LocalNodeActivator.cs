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
    ILogger<LocalNodeActivator> logger) : SiloBackgroundWork
{
    private INodeManagerGrain Manager => grainFactory.GetGrain<INodeManagerGrain>(silo.Name);

    protected override async Task OnActiveAsync(CancellationToken cancellationToken)
    {
        var report = await Manager.GetReport().WaitAsync(cancellationToken);
        LogNodeUp(report.Name, report.Capacity.ToString(), report.EngineHostKind);
    }

    protected override async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await Manager.GetSiloName().WaitAsync(options.Value.ReportInterval, stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                LogKeepAwakeFailed(silo.Name, e.Message);
            }
        }
    }
}
