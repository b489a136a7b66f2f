using System.CommandLine;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary><c>federation create|list|show|update|delete|refresh</c>: dynamic federation relationships, with
/// SPIRE's flags (or <c>-data</c> JSON) and SPIRE's output.</summary>
internal static class FederationCommands
{
    public static Command Create()
    {
        var federation = new Command("federation", "Manage dynamic federation relationships");
        federation.Subcommands.Add(Write("create", "Creates a dynamic federation relationship with a foreign trust domain", update: false));
        federation.Subcommands.Add(Write("update", "Updates a dynamic federation relationship with a foreign trust domain", update: true));
        federation.Subcommands.Add(List());
        federation.Subcommands.Add(Show());
        federation.Subcommands.Add(Delete());
        federation.Subcommands.Add(Refresh());
        return federation;
    }

    private static Command Write(string name, string description, bool update)
    {
        var flags = new FederationRelationshipFlags();
        var data = ServerCommands.Flag<string>("data", "Path to a file containing federation relationships in JSON format (optional). If set to '-', read the JSON from stdin.");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command(name, description) { data, socket, output };
        flags.AddTo(command);
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            var relationships = parse.GetValue(data) is { } path
                ? flags.IsEmpty(parse)
                    ? FederationRelationshipFlags.FromJson(await ReadDataAsync(path, ct))
                    : throw new CliException("cannot use other flags to fill in federation relationship fields when 'data' flag is set")
                : [flags.Read(parse)];

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var client = AdminChannel.Client(channel);
            var response = new ListFederationRelationshipsResponse();
            var failed = 0;
            foreach (var relationship in relationships)
            {
                try
                {
                    var done = update
                        ? await client.UpdateFederationRelationshipAsync(relationship, cancellationToken: ct)
                        : await client.CreateFederationRelationshipAsync(relationship, cancellationToken: ct);
                    response.FederationRelationships.Add(done);
                    if (!json)
                    {
                        console.Out.WriteLine();
                        Print(console.Out, done);
                    }
                }
                catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
                {
                    failed++;
                    console.Error.WriteLine();
                    console.Error.WriteLine($"Failed to {name} the following federation relationship (code: {e.StatusCode}, msg: {Quoted(e.Status.Detail)}):");
                    Print(console.Error, relationship);
                }
            }

            if (json)
            {
                console.WriteJson(response);
            }

            return failed == 0 ? 0 : throw new CliException($"failed to {name} one or more federation relationships");
        });
        return command;
    }

    private static Command List()
    {
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("list", "List federation relationships") { socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var response = await AdminChannel.Client(channel).ListFederationRelationshipsAsync(new Empty(), cancellationToken: ct);
            if (json)
            {
                console.WriteJson(response);
                return 0;
            }

            var count = response.FederationRelationships.Count;
            console.Out.WriteLine($"Found {count} {(count == 1 ? "federation relationship" : "federation relationships")}");
            foreach (var r in response.FederationRelationships)
            {
                console.Out.WriteLine();
                Print(console.Out, r);
            }

            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var trustDomain = ServerCommands.Flag<string>("trustDomain", "The trust domain name of the federation relationship to show");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("show", "Show a federation relationship") { trustDomain, socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            var td = parse.GetValue(trustDomain);
            if (string.IsNullOrEmpty(td))
            {
                throw new CliException("a trust domain name is required");
            }

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var r = await AdminChannel.Client(channel).GetFederationRelationshipAsync(new TrustDomainRequest { TrustDomain = td }, cancellationToken: ct);
            if (json)
            {
                console.WriteJson(r);
                return 0;
            }

            console.Out.WriteLine($"Found a federation relationship with trust domain {td}:");
            console.Out.WriteLine();
            Print(console.Out, r);
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = ServerCommands.Flag<string>("id", "SPIFFE ID of the trust domain");
        var socket = ServerCommands.SocketPath();
        var command = new Command("delete", "Deletes a dynamic federation relationship") { id, socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var td = RequireId(parse.GetValue(id));
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            await AdminChannel.Client(channel).DeleteFederationRelationshipAsync(new TrustDomainRequest { TrustDomain = td }, cancellationToken: ct);
            console.Out.WriteLine("federation relationship deleted.");
            return 0;
        });
        return command;
    }

    private static Command Refresh()
    {
        var id = ServerCommands.Flag<string>("id", "SPIFFE ID of the trust domain");
        var socket = ServerCommands.SocketPath();
        var command = new Command("refresh", "Refreshes the bundle from the specified federated trust domain") { id, socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var td = RequireId(parse.GetValue(id));
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            try
            {
                await AdminChannel.Client(channel).RefreshBundleAsync(new TrustDomainRequest { TrustDomain = td }, cancellationToken: ct);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                throw new CliException($"there is no federation relationship with trust domain \"{td}\"", e);
            }

            console.Out.WriteLine("Bundle refreshed");
            return 0;
        });
        return command;
    }

    /// <summary>A message quoted as Go's %q prints it (SPIRE's failure lines use it).</summary>
    private static string Quoted(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string RequireId(string? id) => string.IsNullOrEmpty(id) ? throw new CliException("id is required") : id;

    private static async Task<string> ReadDataAsync(string path, CancellationToken ct)
    {
        try
        {
            return path == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read -data {path}: {e.Message}", e);
        }
    }

    /// <summary>SPIRE's relationship block: aligned labels, the endpoint SPIFFE ID only for https_spiffe.</summary>
    internal static void Print(TextWriter writer, FederationRelationship r)
    {
        writer.WriteLine($"Trust domain              : {r.TrustDomain}");
        writer.WriteLine($"Bundle endpoint URL       : {r.BundleEndpointUrl}");
        writer.WriteLine($"Bundle endpoint profile   : {r.BundleEndpointProfile}");
        if (r.BundleEndpointProfile == "https_spiffe")
        {
            writer.WriteLine($"Endpoint SPIFFE ID        : {r.EndpointSpiffeId}");
        }
    }
}
