using System.CommandLine;
using System.Globalization;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Server;

using Agent = AgentFabric.Server.Api.V1.Agent;

/// <summary>The server's admin commands on attested agents (nodes), through the Admin API: <c>agent
/// list|show|evict|ban|count|purge</c> (spire-server's <c>agent</c> commands).</summary>
internal static class AttestedAgentCommands
{
    public static IEnumerable<Command> Create() =>
    [
        List(),
        ById("show", "Show an attested agent", (c, id, ct) => c.GetAgentAsync(id, cancellationToken: ct).ResponseAsync, a => a),
        ById("evict", "Evict an agent: its SVID stops working; it may attest again", async (c, id, ct) => { await c.EvictAgentAsync(id, cancellationToken: ct); return null; }, _ => null),
        ById("ban", "Ban an agent: it cannot call the server or attest again", async (c, id, ct) => { await c.BanAgentAsync(id, cancellationToken: ct); return null; }, _ => null),
        Count(),
        AgentPurgeCommand.Create(TimeProvider.System),
    ];

    private static Command List()
    {
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("list", "List attested agents") { socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var response = await AdminChannel.Client(channel).ListAgentsAsync(new Empty(), cancellationToken: ct);
            if (json)
            {
                console.WriteJson(response);
                return 0;
            }

            console.Out.WriteLine(response.Agents.Count == 1 ? "Found 1 attested agent" : string.Create(CultureInfo.InvariantCulture, $"Found {response.Agents.Count} attested agents"));
            if (response.Agents.Count > 0)
            {
                var table = CliTable.Create("SPIFFE ID", "Attestation type", "Expiration time", "Serial number", "Banned");
                foreach (var a in response.Agents)
                {
                    table.AddTextRow(a.Id, a.AttestationType, DateTimeOffset.FromUnixTimeSeconds(a.X509SvidExpiresAt).ToString("u", CultureInfo.InvariantCulture), a.X509SvidSerialNumber, a.Banned ? "true" : "false");
                }

                console.WriteTable(table);
            }

            return 0;
        });
        return command;
    }

    private static Command ById(
        string name,
        string description,
        Func<AdminService.AdminServiceClient, AgentIdRequest, CancellationToken, Task<Agent?>> call,
        Func<Agent?, Agent?> show)
    {
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "The SPIFFE ID of the agent");
        spiffeId.Required = true;
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command(name, description) { spiffeId, socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var agent = show(await call(AdminChannel.Client(channel), new AgentIdRequest { Id = parse.GetValue(spiffeId)! }, ct));
            if (agent is null)
            {
                console.Out.WriteLine(name == "evict" ? "Agent evicted successfully" : "Agent banned successfully");
            }
            else if (json)
            {
                console.WriteJson(agent);
            }
            else
            {
                var table = CliTable.Create("Field", "Value");
                table.AddTextRow("SPIFFE ID", agent.Id);
                table.AddTextRow("Attestation type", agent.AttestationType);
                table.AddTextRow("Expiration time", DateTimeOffset.FromUnixTimeSeconds(agent.X509SvidExpiresAt).ToString("u", CultureInfo.InvariantCulture));
                table.AddTextRow("Serial number", agent.X509SvidSerialNumber);
                table.AddTextRow("Banned", agent.Banned ? "true" : "false");
                console.WriteTable(table);
            }

            return 0;
        });
        return command;
    }

    private static Command Count()
    {
        var socket = ServerCommands.SocketPath();
        var command = new Command("count", "Count attested agents") { socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var n = (await AdminChannel.Client(channel).ListAgentsAsync(new Empty(), cancellationToken: ct)).Agents.Count;
            console.Out.WriteLine(n == 1 ? "1 attested agent" : string.Create(CultureInfo.InvariantCulture, $"{n} attested agents"));
            return 0;
        });
        return command;
    }
}
