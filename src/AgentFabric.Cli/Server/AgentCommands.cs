using System.CommandLine;
using AgentFabric.Cli.Agent;

namespace AgentFabric.Cli.Server;

/// <summary>
/// The <c>agent</c> command group. As in SPIRE's CLIs it holds two kinds of commands under one name: the server's
/// admin commands on attested agents (<see cref="AttestedAgentCommands"/>: list, show, evict, ban, count) and the node
/// agent's own (<see cref="NodeAgentCommands"/>: run, healthcheck).
/// </summary>
internal static class AgentCommands
{
    public static Command Create()
    {
        var agent = new Command("agent", "Run the node agent, or manage attested agents (nodes) on the server");
        foreach (var command in AttestedAgentCommands.Create().Concat(NodeAgentCommands.Create()))
        {
            agent.Subcommands.Add(command);
        }

        return agent;
    }
}
