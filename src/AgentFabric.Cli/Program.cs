using System.CommandLine;

namespace AgentFabric.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("agentfabric: zero-trust identity (SPIFFE) and authorization (Rego) for AI agents.");
        root.Subcommands.Add(Policy.PolicyCommand.Create());
        AgentFabric.Cli.Server.ServerCommands.AddTo(root);
        root.Subcommands.Add(Api.ApiCommand.Create());
        return root.Parse(args).Invoke();
    }
}
