using Spectre.Console;

namespace AgentFabric.Cli;

/// <summary>The tables commands print for people (<c>-output pretty</c>): rounded borders, cells as plain text
/// (never markup). <see cref="CliConsole.WriteTable"/> prints them.</summary>
internal static class CliTable
{
    public static Table Create(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)));
        }

        return table;
    }

    /// <summary>Adds a row whose cells are shown as written, brackets included.</summary>
    public static Table AddTextRow(this Table table, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cells);
        return table.AddRow(cells.Select(c => new Text(c)).ToArray());
    }
}
