using Linkis.Orleans.Abstractions.Nodes;
using Linkis.Orleans.Grains.Placement;
using Orleans.Placement;

namespace Linkis.Orleans.Grains.Nodes.Reports;

/// <summary>The inbox of one silo's <see cref="NodeReportBoard"/>, living on that silo only (<see cref="SiloNamePlacement"/>).</summary>
[SiloNamePlacement, Immovable, Reentrant]
public sealed class NodeDirectoryWriterGrain(NodeReportBoard board) : Grain, INodeDirectoryWriter
{
    public Task Report(NodeReport report)
    {
        board.Keep(report);
        return Task.CompletedTask;
    }
}
