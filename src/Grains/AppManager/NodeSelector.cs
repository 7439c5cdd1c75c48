using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.AppManager;

/// <summary>
/// Orders the nodes an engine may start on (Linkis' ECM selection): label filter first, then the rules in order —
/// healthy and recently reported, not overloaded, resources left, fewest engines starting, spread. A node's own ledger
/// has the final word, so this is a ranking, not a promise; what it leaves out it explains.
/// </summary>
public static class NodeSelector
{
    public static IReadOnlyList<NodeReport> Rank(
        IReadOnlyList<NodeReport> reports,
        LabelSet labels,
        ResourceVector need,
        DateTimeOffset now,
        TimeSpan staleAfter,
        double maxLoadPerCore,
        out IReadOnlyList<string> rejections)
    {
        var rejected = new List<string>();
        var candidates = new List<NodeReport>();
        foreach (var report in reports)
        {
            if (labels.Node is { } wanted && report.Name != wanted)
            {
                continue;
            }

            if (!report.Healthy)
                rejected.Add($"{report.Name}: unhealthy ({report.HealthMessage})");
            else if (now - report.ReportedAt > staleAfter)
                rejected.Add($"{report.Name}: no report for {(now - report.ReportedAt).TotalSeconds:0} s");
            else if (report.IsOverloaded(maxLoadPerCore))
                rejected.Add($"{report.Name}: overloaded (load {report.LoadAverage1m:0.##} on {report.CpuCount} cores)");
            else if (!need.FitsWithin(report.Left))
                rejected.Add($"{report.Name}: {string.Join("; ", need.Shortfalls(report.Left))}");
            else
                candidates.Add(report);
        }

        if (labels.Node is { } node && !reports.Any(r => r.Name == node))
        {
            rejected.Add($"{node}: no such node has reported");
        }

        rejections = rejected;
        return [.. candidates
            .OrderBy(r => r.EnginesStarting)
            .ThenBy(r => r.EnginesRunning)
            .ThenByDescending(r => r.Left.Memory)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];
    }
}
