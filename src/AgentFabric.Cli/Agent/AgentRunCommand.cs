using System.CommandLine;
using AgentFabric.Agent.Config;
using AgentFabric.Agent.Hosting;
using AgentFabric.Agent.Node;

namespace AgentFabric.Cli.Agent;

/// <summary><c>agentfabric agent run -config agent.json</c>: the node agent (<see cref="AgentHost"/>) until SIGINT/SIGTERM.</summary>
internal static class AgentRunCommand
{
    public static Command Create()
    {
        var config = Server.ServerCommands.Flag<string>("config", "Path to the agent's JSON configuration file");
        config.Required = true;
        var run = new Command("run", "Run the node agent (attests to the server, serves the Workload API)") { config };
        run.SetAction(async (parse, ct) =>
        {
            AgentHost host;
            try
            {
                host = await AgentHost.StartAsync(AgentConfig.LoadFile(parse.GetValue(config)!), cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AgentConfigException or NodeAttestationException or InvalidDataException or AgentFabric.Spiffe.Bundles.X509.X509BundleException)
            {
                Console.Error.WriteLine($"Error: {e.Message}");
                return 1;
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
