using Linkis.Orleans.Cli.Models;
using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

public static class NodeTable
{
    public static Table Of(IEnumerable<NodeView> nodes)
    {
        var table = Tables.Create("NODE", "VERDICT", "ELIGIBLE", "ENGINES", "CPU", "LOAD", "MEM FREE", "LEFT MEMORY", "LEFT CORES", "LEFT INSTANCES", "LIMITS", "HOST");
        foreach (var n in nodes)
        {
            table.Row(
                n.Name,
                n.Verdict + (n.Drain is { } drain ? $" (drain by {Formats.Time(drain.Deadline)})" : ""),
                n.Eligible ? "yes" : "no",
                $"{n.EnginesRunning} ({n.EnginesBusy} busy, {n.EnginesStarting} starting)",
                Formats.Percent(n.CpuUsage),
                Formats.Number(n.LoadAverage1m),
                Formats.Bytes(n.MemoryAvailable),
                Formats.Bytes(n.Left?.Memory),
                Formats.Number(n.Left?.Cores),
                Formats.Number(n.Left?.Instances),
                Formats.Of(n.Limits),
                Formats.Of(n.EngineHostKind));
        }

        return table;
    }
}
