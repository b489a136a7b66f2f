using Google.Protobuf;
using Grpc.Core;
using Spectre.Console;

namespace AgentFabric.Cli.Server;

/// <summary>Prints results as Spectre.Console tables for people or as JSON (proto3 JSON mapping) for scripts, and
/// turns server errors into one line on stderr with exit code 1.</summary>
internal static class CliOutput
{
    private static readonly JsonFormatter s_json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());

    public static bool IsJson(string? output, out int error)
    {
        error = 0;
        switch (output)
        {
            case null or "pretty":
                return false;
            case "json":
                return true;
            default:
                Console.Error.WriteLine($"Error: -output \"{output}\" is not one of pretty, json");
                error = 1;
                return false;
        }
    }

    public static void Json(IMessage message) => Console.Out.WriteLine(s_json.Format(message));

    public static IAnsiConsole Console2 { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Out),
        Interactive = InteractionSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
    });

    public static void Table(Table table) => Console2.Write(table);

    public static Table NewTable(params string[] columns)
    {
        var table = new Table { Border = TableBorder.Rounded };
        foreach (var c in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(c)));
        }

        return table;
    }

    public static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => new Text(c)).ToArray());

    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine(e.StatusCode == StatusCode.Unavailable
                ? $"Error: cannot reach the server's Admin API: {e.Status.Detail}"
                : $"Error: {e.Status.Detail}");
            return 1;
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"Error: {e.Message}");
            return 1;
        }
    }
}

/// <summary>A bad command line or input file; printed as "Error: ..." with exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
