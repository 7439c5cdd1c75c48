using Linkis.Orleans.Cli.Models;
using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

public static class ExecutionTable
{
    public static Table Of(IEnumerable<ExecutionView> executions)
    {
        var table = Tables.Create("EXECUTION", "STATUS", "EXIT", "QUEUED", "RAN", "STDOUT", "STDERR", "BY");
        foreach (var e in executions)
        {
            table.Row(
                e.ExecutionId,
                e.Status + (e.StateLost ? " (state lost)" : ""),
                e.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Formats.None,
                Formats.Time(e.QueuedAt),
                Formats.Duration(e.StartedAt, e.EndedAt),
                Formats.Bytes(e.StdoutBytes),
                Formats.Bytes(e.StderrBytes),
                e.CancelledBy is { } by ? $"{Formats.Of(e.SubmittedBy)}, cancelled by {by}" : Formats.Of(e.SubmittedBy));
        }

        return table;
    }
}
