using System.CommandLine;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary><c>healthcheck [-shallow] [-verbose]</c>: asks the server over its Admin socket; exit 0 when healthy.</summary>
internal static class HealthcheckCommand
{
    /// <summary>An unhealthy verdict: <c>Server is unhealthy: reason</c>, exit code 1; an Admin API error is the reason.</summary>
    private static readonly ErrorStyle s_unhealthy = new("Server is unhealthy: ", e => e is RpcException r
        ? AdminSocketException.Find(r.Status.DebugException)?.Message ?? r.Status.Detail
        : null);

    public static Command Create()
    {
        var shallow = ServerCommands.Flag<bool>("shallow", "Only check that the server answers");
        var verbose = ServerCommands.Flag<bool>("verbose", "Print what was checked");
        var socket = ServerCommands.SocketPath();
        var command = new Command("healthcheck", "Check the identity server's health") { shallow, verbose, socket };
        command.SetAction(s_unhealthy, async (parse, console, ct) =>
        {
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var health = await AdminChannel.Client(channel).GetHealthAsync(new Empty(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);
            if (parse.GetValue(verbose))
            {
                console.Out.WriteLine($"Server answered on {parse.GetValue(socket)} (trust domain {health.TrustDomain}, {health.Entries} entries)");
            }

            if (!health.Ready && !parse.GetValue(shallow))
            {
                throw new CliException("not ready");
            }

            console.Out.WriteLine("Server is healthy.");
            return 0;
        });
        return command;
    }
}
