using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

/// <summary>
/// One object of the API (an engine, a node, an execution) as "field  value" lines, every field it has: the API adds
/// fields over time, and a show command should show them without a new CLI.
/// </summary>
public static class DetailsView
{
    public static Grid Of(JsonElement item)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        if (item.ValueKind != JsonValueKind.Object)
        {
            return grid.AddRow(new Text(item.ToString()));
        }

        foreach (var property in item.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null))
        {
            grid.AddRow(new Text(property.Name, new Style(decoration: Decoration.Bold)), new Text(Value(property.Name, property.Value)));
        }

        return grid;
    }

    private static string Value(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when IsTime(name) && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) =>
            Formats.Time(at),
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number when IsBytes(name) && value.TryGetInt64(out var bytes) => Formats.Bytes(bytes),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? Formats.None : string.Join(", ", value.EnumerateArray().Select(v => Value(name, v))),
        // An engine's properties: {"memory":{"value":"1g","from":"ask"}}.
        JsonValueKind.Object when value.TryGetProperty("value", out var v) && value.TryGetProperty("from", out var from) && value.EnumerateObject().Count() == 2 =>
            $"{Value(name, v)} (from {from})",
        JsonValueKind.Object => value.EnumerateObject().Any()
            ? string.Join(", ", value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => $"{p.Name}={Value(p.Name, p.Value)}"))
            : Formats.None,
        _ => Formats.None,
    };

    private static bool IsTime(string name) => name.EndsWith("At", StringComparison.Ordinal) || name is "deadline" or "lostSince";

    private static bool IsBytes(string name) =>
        name.Contains("memory", StringComparison.OrdinalIgnoreCase) || name.Contains("disk", StringComparison.OrdinalIgnoreCase);
}
