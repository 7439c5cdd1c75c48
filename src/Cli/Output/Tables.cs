using Spectre.Console;

namespace Linkis.Orleans.Cli.Output;

public static class Tables
{
    /// <summary>A borderless table with a bold header, as kubectl and docker print theirs.</summary>
    public static Table Create(params string[] headers)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).PadLeft(0).PadRight(2));
        }

        return table;
    }

    public static void Row(this Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());
}
