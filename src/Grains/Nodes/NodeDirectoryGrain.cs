using Linkis.Orleans.Grains;
using Linkis.Orleans.Nodes;

namespace Linkis.Orleans.Nodes;

/// <summary>Holds the latest report of each node. Reports are refreshed every few seconds, so nothing is persisted.</summary>
public sealed class NodeDirectoryGrain : Grain, INodeDirectoryGrain
{
    private readonly Dictionary<string, NodeReport> _reports = new(StringComparer.Ordinal);

    public Task Report(NodeReport report)
    {
        _reports[report.Name] = report;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NodeReport>> List() =>
        Task.FromResult<IReadOnlyList<NodeReport>>([.. _reports.Values.OrderBy(r => r.Name, StringComparer.Ordinal)]);
}
