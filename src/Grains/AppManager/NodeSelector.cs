using Linkis.Orleans.Abstractions.Labels;
using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Abstractions.Resources;

namespace Linkis.Orleans.Grains.AppManager;

/// <summary>
/// Orders the nodes an engine may start on (Linkis' ECM selection): the label filter first (node name, tenant, any
/// other label the ask carries), then the rules in order — healthy (not overloaded, draining or lost), eligible,
/// resources left — then fewest engines starting and running, with ties in random order so that a burst of asks from
/// many AppManagers does not pile onto one node. A node's own ledger has the final word, so this is a ranking, not a
/// promise; every node it leaves out it explains.
/// </summary>
public static class NodeSelector
{
    public static IReadOnlyList<NodeReport> Rank(
        IReadOnlyList<NodeReport> reports,
        LabelSet labels,
        ResourceVector need,
        IReadOnlyDictionary<string, string> excluded,
        IReadOnlyDictionary<string, int> placedSinceReport,
        Random random,
        out IReadOnlyList<string> rejections)
    {
        var rejected = new List<string>();
        var candidates = new List<NodeReport>();
        foreach (var report in reports)
        {
            if (labels.Node is { } wanted && report.Name != wanted)
                continue;
            if (WhyNotMatching(report, labels) is { } mismatch)
                rejected.Add($"{report.Name}: {mismatch}");
            else if (excluded.TryGetValue(report.Name, out var why))
                rejected.Add($"{report.Name}: {why}");
            else if (!report.Healthy)
                rejected.Add($"{report.Name}: {report.Verdict.ToString().ToLowerInvariant()} ({report.VerdictReason})");
            else if (report.Admission.Refusal(report.Name) is { } refusal)
                rejected.Add(refusal);
            else if (!need.FitsWithin(report.Left))
                rejected.Add($"{report.Name}: {string.Join("; ", need.Shortfalls(report.Left))}");
            else
                candidates.Add(report);
        }

        rejected.AddRange(LabelsNoNodeHas(reports, labels));
        rejections = rejected;

        int Placed(NodeReport r) => placedSinceReport.TryGetValue(r.Name, out var n) ? n : 0;
        var ordered = candidates
            .Select(r => (Report: r, Starting: r.EnginesStarting + Placed(r), Engines: r.EnginesRunning + r.EnginesStarting + Placed(r), Tie: random.Next()))
            .OrderBy(c => c.Starting)
            .ThenBy(c => c.Engines)
            .ThenBy(c => c.Tie)
            .Select(c => c.Report);
        return [.. ordered];
    }

    /// <summary>The node names of the reports the ask's labels allow, whatever their health: where its engines may be reused.</summary>
    public static IReadOnlySet<string> Matching(IReadOnlyList<NodeReport> reports, LabelSet labels) =>
        reports.Where(r => WhyNotMatching(r, labels) is null).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Why the node's labels rule it out for this ask, or null when they allow it.</summary>
    public static string? WhyNotMatching(NodeReport report, LabelSet labels)
    {
        if (labels.Node is { } wanted && report.Name != wanted)
        {
            return $"not the node asked for ({wanted})";
        }

        report.Labels.TryGetValue(LabelKeys.Tenant, out var nodeTenant);
        if (nodeTenant != labels.Tenant)
        {
            return nodeTenant is null ? $"has no tenant, the engine is of tenant {labels.Tenant}"
                : labels.Tenant is null ? $"takes only tenant {nodeTenant}'s engines"
                : $"takes only tenant {nodeTenant}'s engines, not tenant {labels.Tenant}'s";
        }

        foreach (var (key, value) in labels.Constraints)
        {
            if (!report.Labels.TryGetValue(key, out var has))
            {
                return $"has no label {key} ({key}={value} asked)";
            }

            if (has != value)
            {
                return $"{key}={has}, not {value}";
            }
        }

        return null;
    }

    /// <summary>The ask's labels that no node carries at all: said once each, as the likeliest mistake.</summary>
    private static IEnumerable<string> LabelsNoNodeHas(IReadOnlyList<NodeReport> reports, LabelSet labels)
    {
        if (labels.Node is { } node && !reports.Any(r => r.Name == node))
        {
            yield return $"{node}: no such node has reported (label node={node})";
        }

        if (labels.Tenant is { } tenant && !reports.Any(r => r.Labels.GetValueOrDefault(LabelKeys.Tenant) == tenant))
        {
            yield return $"no node is labelled tenant={tenant}";
        }

        foreach (var (key, value) in labels.Constraints)
        {
            if (!reports.Any(r => r.Labels.GetValueOrDefault(key) == value))
            {
                yield return $"no node is labelled {key}={value}";
            }
        }
    }
}
