using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes.Reports;

/// <summary>
/// The node directory as callers see it (key 0): a stateless worker, so it answers on the calling silo — or, for a
/// client outside the cluster, on its gateway silo — from that silo's <see cref="NodeReportBoard"/>. Nodes push to a
/// silo once they see it in membership, which can be up to a report interval after it joined: a board that lacks an
/// active silo's node asks that node's manager for a report itself — waiting for it only when the board has none at all
/// (its silo has just started), in the background otherwise, and at most once a report interval per node.
/// </summary>
[StatelessWorker(1)]
public sealed class NodeDirectoryGrain(
    NodeReportBoard board,
    IClusterMembershipService membership,
    IOptions<NodeOptions> options,
    TimeProvider time) : Grain, INodeDirectoryGrain
{
    private static readonly TimeSpan FillTimeout = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, DateTimeOffset> _askedAt = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<NodeReport>> List()
    {
        var missing = MissingNodes();
        if (missing.Count > 0)
        {
            var filling = Fill(missing);
            if (board.IsEmpty)
            {
                await filling;
            }
        }

        return board.List();
    }

    /// <summary>Active silos' nodes the board has no report of and has not asked for within a report interval.</summary>
    private List<string> MissingNodes()
    {
        var now = time.GetUtcNow();
        var known = board.List().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active || string.IsNullOrEmpty(member.Name) || known.Contains(member.Name)
                || (_askedAt.TryGetValue(member.Name, out var asked) && now - asked < options.Value.ReportInterval))
            {
                continue;
            }

            _askedAt[member.Name] = now;
            missing.Add(member.Name);
        }

        return missing;
    }

    private async Task Fill(IEnumerable<string> names)
    {
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
