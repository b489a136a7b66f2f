using System.CommandLine;
using AgentFabric.Agent.Config;
using AgentFabric.Agent.Hosting;
using AgentFabric.Agent.Node;

namespace AgentFabric.Cli.Agent;

/// <summary><c>agentfabric agent run -config agent.json</c>: the node agent (<see cref="AgentHost"/>) until SIGINT/SIGTERM.</summary>
internal static class AgentRunCommand
{
    // spire-agent's wording; a failure after start-up is a bug for System.CommandLine's handler, not a report.
    private static readonly ErrorStyle Errors = new("Error: ");

    public static Command Create()
    {
        var config = Server.ServerCommands.Flag<string>("config", "Path to the agent's JSON configuration file");
        config.Required = true;
        var run = new Command("run", "Run the node agent (attests to the server, serves the Workload API)") { config };
        run.SetAction(Errors, async (parse, _, ct) =>
        {
            AgentHost host;
            try
            {
                host = await AgentHost.StartAsync(AgentConfig.LoadFile(parse.GetValue(config)!), cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AgentConfigException or NodeAttestationException or InvalidDataException or AgentFabric.Spiffe.Bundles.X509.X509BundleException)
            {
                throw new CliException(e.Message, e);
            }

            await using (host.ConfigureAwait(false))
            {
                await host.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }

            return 0;
        });
        return run;
    }
}
