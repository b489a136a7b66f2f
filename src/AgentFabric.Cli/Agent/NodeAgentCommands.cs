using System.CommandLine;

namespace AgentFabric.Cli.Agent;

/// <summary>The node agent's own commands: <c>agent run</c> and <c>agent healthcheck</c> (spire-agent's).</summary>
internal static class NodeAgentCommands
{
    public static IEnumerable<Command> Create() => [AgentRunCommand.Create(), AgentHealthcheckCommand.Create()];
}
