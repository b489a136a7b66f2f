using System.CommandLine;
using AgentFabric.Server.Ca;
using AgentFabric.Server.Config;
using AgentFabric.Server.Datastore;
using AgentFabric.Server.Hosting;
using AgentFabric.Server.KeyManagement;

namespace AgentFabric.Cli.Server;

/// <summary><c>agentfabric server run -config server.json</c>: runs the identity server until SIGINT/SIGTERM.</summary>
internal static class ServerRunCommand
{
    public static Command Create()
    {
        var config = ServerCommands.Flag<string>("config", "Path to the server's JSON configuration file");
        config.Required = true;
        var forceNewCa = ServerCommands.Flag<bool>(
            "forceNewCA", "Start a new CA deliberately when the CA's keys, journal or the datastore are missing (the server refuses to start otherwise)");
        var run = new Command("run", "Run the identity server") { config, forceNewCa };
        run.SetAction(ServerCommands.Errors, async (parse, _, ct) =>
        {
            ServerSettings settings;
            try
            {
                settings = ServerConfigLoader.LoadFile(parse.GetValue(config)!) with { ForceNewCa = parse.GetValue(forceNewCa) };
            }
            catch (ServerConfigException e)
            {
                throw new CliException(e.Message, e);
            }

            ServerHost host;
            try
            {
                host = await ServerHost.StartAsync(settings, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CaException or DatastoreException or KeyManagerException or ServerConfigException)
            {
                // A server that cannot start says why in one line (the state on disk is the operator's to fix).
                throw new CliException(e.Message, e);
            }

            await using var running = host;
            try
            {
                await running.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return new Command("server", "Identity server (the SPIRE-server role)") { run };
    }
}
