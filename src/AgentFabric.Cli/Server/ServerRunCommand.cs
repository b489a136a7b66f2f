using System.CommandLine;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;

namespace AgentFabric.Cli.Server;

/// <summary><c>agentfabric server run -config server.json</c>: runs the identity server until SIGINT/SIGTERM.</summary>
internal static class ServerRunCommand
{
    public static Command Create()
    {
        var config = ServerCommands.Flag<string>("config", "Path to the server's JSON configuration file");
        config.Required = true;
        var run = new Command("run", "Run the identity server") { config };
        run.SetAction(ServerCommands.Errors, async (parse, _, ct) =>
        {
            ServerSettings settings;
            try
            {
                settings = ServerConfigLoader.LoadFile(parse.GetValue(config)!);
            }
            catch (ServerConfigException e)
            {
                throw new CliException(e.Message, e);
            }

            await using var host = await ServerHost.StartAsync(settings, cancellationToken: ct).ConfigureAwait(false);
            try
            {
                await host.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return new Command("server", "Identity server (the SPIRE-server role)") { run };
    }
}
