using System.Globalization;
using System.Text;
using Linkis.Orleans.Cli.Models;

namespace Linkis.Orleans.Cli.Output;

/// <summary>One lifecycle event on one line: its local time, its type, then key=value of the fields it has.</summary>
public static class EventLine
{
    public static string Of(LifecycleEventView e)
    {
        var line = new StringBuilder()
            .Append(e.At.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))
            .Append("  ")
            .Append(e.Type.PadRight(18));
        Field(line, "engine", e.EngineId);
        Field(line, "execution", e.ExecutionId);
        Field(line, "user-creator", e.UserCreator);
        if (e.UserCreator is null)
        {
            Field(line, "user", e.User);
        }

        Field(line, "engine-type", e.EngineType);
        Field(line, "node", e.Node);
        Field(line, "status", e.Status);
        Field(line, "reason", e.Reason);
        if (e.Message is { Length: > 0 } message)
        {
            line.Append("  ").Append(message);
        }

        return line.ToString().TrimEnd();
    }

    private static void Field(StringBuilder line, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            line.Append(' ').Append(name).Append('=').Append(value);
        }
    }
}
