using System.CommandLine;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Server;

/// <summary><c>token generate [-spiffeID id] [-ttl seconds]</c>: a single-use join token.</summary>
internal static class TokenCommands
{
    public static Command Create()
    {
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "Additional SPIFFE ID to give the node that uses the token");
        var ttl = new Option<int>("-ttl", "--ttl") { Description = "Token TTL in seconds", DefaultValueFactory = _ => 600 };
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var generate = new Command("generate", "Generate a join token") { spiffeId, ttl, socket, output };
        generate.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            if (parse.GetValue(ttl) <= 0)
            {
                throw new CliException($"-ttl must be a positive number of seconds, got {parse.GetValue(ttl)}");
            }

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var token = await AdminChannel.Client(channel).CreateJoinTokenAsync(
                new CreateJoinTokenRequest { Ttl = parse.GetValue(ttl), AgentId = parse.GetValue(spiffeId) ?? string.Empty }, cancellationToken: ct);
            if (json)
            {
                console.WriteJson(token);
            }
            else
            {
                console.Out.WriteLine($"Token: {token.Value}");
            }

            return 0;
        });
        return new Command("token", "Manage join tokens") { generate };
    }
}
