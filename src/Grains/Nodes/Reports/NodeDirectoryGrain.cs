using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes.Reports;

/// <summary>
/// The node directory as callers see it (key 0): a stateless worker, so it answers on the calling silo — or, for a
/// client outside the cluster, on its gateway silo — from that silo's <see cref="NodeReportBoard"/>. A board that has
/// heard no report yet (its silo has just started) asks every active silo's node manager for one at once instead of
/// waiting for their next push.
/// </summary>
[StatelessWorker(1)]
public sealed class NodeDirectoryGrain(NodeReportBoard board, IClusterMembershipService membership) : Grain, INodeDirectoryGrain
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<NodeReport>> List()
    {
        if (board.IsEmpty)
        {
            await Fill();
        }

        return board.List();
    }

    private async Task Fill()
    {
        var names = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active && !string.IsNullOrEmpty(m.Name))
            .Select(m => m.Name)
            .Distinct(StringComparer.Ordinal);
        var reports = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                return await GrainFactory.GetGrain<INodeManagerGrain>(name).GetReport().WaitAsync(FillTimeout);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return null;
            }
        }));
        foreach (var report in reports.OfType<NodeReport>())
        {
            board.Keep(report);
        }
    }
}
