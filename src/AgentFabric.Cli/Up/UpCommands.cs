using System.CommandLine;

namespace AgentFabric.Cli.Up;

/// <summary><c>agentfabric up|down|status</c>: the whole fabric on this machine, as child processes of one command,
/// with its state in <c>./.agentfabric</c>.</summary>
internal static class UpCommands
{
    /// <summary><c>error: message</c>, exit code 1; a state directory that cannot be used reads as its message.</summary>
    public static readonly ErrorStyle Errors = new("error: ", e => e is FabricStateException ? e.Message : null);

    /// <summary>How long <c>up</c> may take to stop its children after SIGINT or SIGTERM before System.CommandLine
    /// gives up on it (its default, 2 s, is less than one child's grace period).</summary>
    public static readonly TimeSpan TerminationTimeout = TimeSpan.FromMinutes(2);

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(UpCommand.Create());
        root.Subcommands.Add(DownCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
    }

    public static Option<string> Dir() => new("--dir")
    {
        Description = "The state directory (configurations, data, logs, the running up's state)",
        DefaultValueFactory = _ => FabricDirectory.DefaultName,
    };

    /// <summary>Whether the command tree this parse came from has <paramref name="path"/> (e.g. <c>edge run</c>).</summary>
    public static bool CommandExists(ParseResult parse, string[] path)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(path);
        Command command = parse.RootCommandResult.Command;
        foreach (var name in path)
        {
            if (command.Subcommands.FirstOrDefault(c => c.Name == name) is not { } next)
            {
                return false;
            }

            command = next;
        }

        return true;
    }
}
