using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Telemetry;

/// <summary>The latest report of each node whose manager lives in this silo, for the node gauges.</summary>
public static class NodeGauges
{
    private static readonly ConcurrentDictionary<string, NodeReport> Reports = new(StringComparer.Ordinal);

    public static void Update(NodeReport report) => Reports[report.Name] = report;

    internal static IEnumerable<Measurement<double>> Measure(Func<NodeReport, double> pick)
    {
        foreach (var report in Reports.Values)
        {
            yield return new(pick(report), new KeyValuePair<string, object?>("node", report.Name));
        }
    }
}
