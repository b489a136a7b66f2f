using System.CommandLine;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary><c>healthcheck [-shallow] [-verbose]</c>: asks the server over its Admin socket; exit 0 when healthy.</summary>
internal static class HealthcheckCommand
{
    public static Command Create()
    {
        var shallow = ServerCommands.Flag<bool>("shallow", "Only check that the server answers");
        var verbose = ServerCommands.Flag<bool>("verbose", "Print what was checked");
        var socket = ServerCommands.SocketPath();
        var command = new Command("healthcheck", "Check the identity server's health") { shallow, verbose, socket };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var channel = AdminChannel.Create(parse.GetValue(socket)!);
                var health = await AdminChannel.Client(channel).GetHealthAsync(new Empty(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
                if (parse.GetValue(verbose))
                {
                    Console.Out.WriteLine($"Server answered on {parse.GetValue(socket)} (trust domain {health.TrustDomain}, {health.Entries} entries)");
                }

                if (!health.Ready && !parse.GetValue(shallow))
                {
                    Console.Error.WriteLine("Server is unhealthy: not ready");
                    return 1;
                }

                Console.Out.WriteLine("Server is healthy.");
                return 0;
            }
            catch (RpcException e)
            {
                Console.Error.WriteLine($"Server is unhealthy: {e.Status.Detail}");
                return 1;
            }
        });
        return command;
    }
}
