using System.CommandLine;

namespace AgentFabric.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        var parse = CreateRoot().Parse(args);
        // `up` stops its children in order after Ctrl+C: it needs longer than System.CommandLine's default 2 s.
        return parse.CommandResult.Command.Name == "up"
            ? parse.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = Up.UpCommands.TerminationTimeout })
            : parse.Invoke();
    }

    /// <summary>Every command of <c>agentfabric</c>. Commands print through the parse's invocation configuration
    /// (README.md, "How a command prints and fails"), so callers choose the writers by invoking with their own.</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand("agentfabric: zero-trust identity (SPIFFE) and authorization (Rego) for AI agents.");
        root.Subcommands.Add(Policy.PolicyCommand.Create());
        AgentFabric.Cli.Server.ServerCommands.AddTo(root);
        root.Subcommands.Add(Api.ApiCommand.Create());
        root.Subcommands.Add(Edge.EdgeCommand.Create());
        Up.UpCommands.AddTo(root);
        return root;
    }
}
