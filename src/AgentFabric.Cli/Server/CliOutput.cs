using Google.Protobuf;
using Spectre.Console;

namespace AgentFabric.Cli.Server;

/// <summary>
/// The server commands' former output helpers over the process console, kept only because <c>agent
/// list|show|evict|ban|count</c> (AgentCommands.cs, moving in another change) still call them. Each delegates to the
/// convention every other command follows (src/AgentFabric.Cli/README.md): <see cref="CliConsole"/>,
/// <see cref="CliTable"/>, <see cref="ServerCommands.Errors"/> and <see cref="CommandActions"/>. Delete this file once
/// AgentCommands.cs no longer uses it.
/// </summary>
internal static class CliOutput
{
    private static CliConsole Process => new(Console.Out, Console.Error);

    /// <summary>Now <see cref="ServerCommands.IsJson"/>, which throws <see cref="CliException"/> for a bad value.</summary>
    public static bool IsJson(string? output, out int error)
    {
        error = 0;
        try
        {
            return ServerCommands.IsJson(output);
        }
        catch (CliException e)
        {
            error = ServerCommands.Errors.Report(Process, e, e.Message);
            return false;
        }
    }

    /// <summary>Now <see cref="CliConsole.WriteJson"/>.</summary>
    public static void Json(IMessage message) => Process.WriteJson(message);

    /// <summary>Now <see cref="CliConsole.WriteTable"/>.</summary>
    public static void Table(Table table) => Process.WriteTable(table);

    /// <summary>Now <see cref="CliTable.Create"/>.</summary>
    public static Table NewTable(params string[] columns) => CliTable.Create(columns);

    /// <summary>Now <see cref="CliTable.AddTextRow"/>.</summary>
    public static void Row(Table table, params string[] cells) => table.AddTextRow(cells);

    /// <summary>Now <c>command.SetAction(ServerCommands.Errors, body)</c>.</summary>
    public static async Task<int> Run(Func<Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (ServerCommands.Errors.Describe(e) is { } message)
        {
            return ServerCommands.Errors.Report(Process, e, message);
        }
    }
}
