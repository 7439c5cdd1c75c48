using Linkis.Orleans.Cli.Models;
using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

public static class EngineTable
{
    public static Table Of(IEnumerable<EngineView> engines)
    {
        var table = Tables.Create("ENGINE", "STATUS", "USER-CREATOR", "TYPE", "NODE", "PID", "MEMORY", "CORES", "EXECS", "AGE", "ENDED");
        foreach (var e in engines)
        {
            var flags = string.Join("", (e.Job ? ",job" : "") + (e.Locked ? ",locked" : ""));
            table.Row(
                e.EngineId,
                e.Status + (flags.Length > 0 ? $" ({flags[1..]})" : ""),
                Formats.Of(e.UserCreator),
                Formats.Of(e.EngineType),
                Formats.Of(e.Node),
                e.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Formats.None,
                Formats.Bytes(e.Resources?.Memory),
                Formats.Number(e.Resources?.Cores),
                Formats.Number(e.ExecutionCount),
                Formats.Age(e.CreatedAt),
                e.EndReason is { } reason ? $"{reason.Kind}: {reason.Message}" : Formats.None);
        }

        return table;
    }
}
