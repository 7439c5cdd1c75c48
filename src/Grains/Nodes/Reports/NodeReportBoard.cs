using System.Collections.Concurrent;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Options;
using Microsoft.Extensions.Options;

namespace Linkis.Orleans.Grains.Nodes.Reports;

/// <summary>
/// This silo's copy of the node directory: the latest report of each node, pushed here by every node manager
/// (<see cref="INodeDirectoryWriter"/>), read without a grain call by this silo's asks and node listings. One copy per
/// silo, not one directory grain for the cluster: a silo that dies takes no other silo's view of the nodes with it, so
/// asks placed anywhere else go on in the seconds before membership declares it dead. A node is listed Lost as soon as
/// membership has declared its silo dead or it has missed three reports.
/// </summary>
public sealed class NodeReportBoard(IClusterMembershipService membership, IOptions<NodeOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, NodeReport> _reports = new(StringComparer.Ordinal);

    // When this silo first saw each node's current silo dead in membership.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deadSeen = new(StringComparer.Ordinal);

    public bool IsEmpty => _reports.IsEmpty;

    /// <summary>Keeps the report unless a newer one of its node is here already (pushes may cross).</summary>
    public void Keep(NodeReport report) =>
        _reports.AddOrUpdate(report.Name, report, (_, known) => known.ReportedAt <= report.ReportedAt ? report : known);

    public IReadOnlyList<NodeReport> List()
    {
        var now = time.GetUtcNow();
        var staleAfter = options.Value.StaleReportAge;
        var dead = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Dead)
            .Select(m => m.SiloAddress.ToString())
            .ToHashSet(StringComparer.Ordinal);
        return [.. _reports.Values.Select(r => Judge(r, dead, now, staleAfter)).OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    private NodeReport Judge(NodeReport report, HashSet<string> deadSilos, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (deadSilos.Contains(report.Silo))
        {
            var since = _deadSeen.GetOrAdd(report.Name, now);
            return report with
            {
                Verdict = NodeVerdict.Lost,
                VerdictReason = $"membership declared its silo {report.Silo} dead; its engines are Unreachable until it returns",
                LostSince = since,
            };
        }

        _deadSeen.TryRemove(report.Name, out _);
        return now - report.ReportedAt > staleAfter
            ? report with
            {
                Verdict = NodeVerdict.Lost,
                VerdictReason = $"no report for {(now - report.ReportedAt).TotalSeconds:0} s; the node's silo is down or cut off",
                LostSince = report.ReportedAt,
            }
            : report;
    }
}
