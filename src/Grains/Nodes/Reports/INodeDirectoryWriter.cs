using Linkis.Orleans.Abstractions.Nodes;

namespace Linkis.Orleans.Grains.Nodes.Reports;

/// <summary>
/// How node managers push their reports to one silo's <see cref="NodeReportBoard"/>: key = that silo's name. One-way:
/// a silo that died without being declared dead yet must not hold up the pushes to the others.
/// </summary>
[Alias("Linkis.INodeDirectoryWriter")]
public interface INodeDirectoryWriter : IGrainWithStringKey
{
    [Alias("Report"), OneWay]
    Task Report(NodeReport report);
}
