using System.CommandLine;
using System.Globalization;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;

namespace AgentFabric.Cli.Server;

/// <summary><c>entry create|update|show|delete|count</c> with SPIRE's flags.</summary>
internal static class EntryCommands
{
    public static Command Create()
    {
        var entry = new Command("entry", "Manage registration entries");
        entry.Subcommands.Add(Write("create", "Create a registration entry"));
        entry.Subcommands.Add(Write("update", "Replace every field of a registration entry"));
        entry.Subcommands.Add(Show());
        entry.Subcommands.Add(Delete());
        entry.Subcommands.Add(Count());
        return entry;
    }

    private static Command Write(string name, string description)
    {
        var entryId = ServerCommands.Flag<string>("entryID", name == "update" ? "The ID of the entry to update" : "A user-chosen ID for the new entry (optional)");
        var parentId = ServerCommands.Flag<string>("parentID", "The SPIFFE ID of this record's parent");
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "The SPIFFE ID that this record represents");
        var selectors = ServerCommands.Flag<string[]>("selector", "A type:value selector; repeat for several (all must match)");
        var x509Ttl = ServerCommands.Flag<int?>("x509SVIDTTL", "TTL in seconds of X509-SVIDs issued from this entry (default: the server's)");
        var legacyTtl = ServerCommands.Flag<int?>("ttl", "Deprecated SPIRE flag: same as -x509SVIDTTL");
        legacyTtl.Hidden = true;
        var jwtTtl = ServerCommands.Flag<int?>("jwtSVIDTTL", "TTL in seconds of JWT-SVIDs issued from this entry (default: the server's)");
        var federates = ServerCommands.Flag<string[]>("federatesWith", "Trust domain SPIFFE ID this entry federates with; repeatable");
        var dns = ServerCommands.Flag<string[]>("dns", "DNS name to put in issued SVIDs; repeatable");
        var admin = ServerCommands.Flag<bool>("admin", "The SPIFFE ID gets access to the server's APIs");
        var downstream = ServerCommands.Flag<bool>("downstream", "The entry describes a downstream server");
        var node = ServerCommands.Flag<bool>("node", "The entry applies to nodes (its parent is the server's ID)");
        var expiry = ServerCommands.Flag<long?>("entryExpiry", "Unix time (seconds) at which the entry expires");
        var hint = ServerCommands.Flag<string>("hint", "A hint passed to workloads to tell SVIDs apart");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command(name, description) { entryId, parentId, spiffeId, selectors, x509Ttl, legacyTtl, jwtTtl, federates, dns, admin, downstream, node, expiry, hint, socket, output };
        var data = ServerCommands.Flag<string>("data", "Path to a JSON file of entries, {\"entries\": [...]} in SPIRE's shape; '-' reads standard input. Other entry flags must be omitted");
        if (name == "create")
        {
            command.Options.Add(data);
        }

        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));
            if (parse.GetValue(data) is { } path)
            {
                // SPIRE: with -data, the entry flags must be omitted.
                var given = command.Options.Where(o => o != data && o != socket && o != output && parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                if (given.Length > 0)
                {
                    throw new CliException($"-data cannot be combined with {string.Join(", ", given)}");
                }

                var entries = EntryDataFile.Parse(await ReadDataAsync(path, ct), path == "-" ? "standard input" : path);
                using var batchChannel = AdminChannel.Create(parse.GetValue(socket)!);
                return await EntryBatchCreate.RunAsync(console, AdminChannel.Client(batchChannel), entries, json, ct);
            }

            var spiffe = parse.GetValue(spiffeId) ?? throw new CliException("-spiffeID is required");
            CheckTtls(parse.GetValue(legacyTtl), parse.GetValue(x509Ttl), parse.GetValue(jwtTtl));
            var parent = parse.GetValue(parentId);
            if (parse.GetValue(node))
            {
                if (parent is not null)
                {
                    throw new CliException("-node and -parentID cannot be used together");
                }

                parent = NodeParent(spiffe);
            }

            var message = new Entry
            {
                Id = parse.GetValue(entryId) ?? string.Empty,
                SpiffeId = spiffe,
                ParentId = parent ?? throw new CliException("-parentID is required (or -node)"),
                X509SvidTtl = parse.GetValue(x509Ttl) ?? parse.GetValue(legacyTtl) ?? 0,
                JwtSvidTtl = parse.GetValue(jwtTtl) ?? 0,
                Admin = parse.GetValue(admin),
                Downstream = parse.GetValue(downstream),
                ExpiresAt = parse.GetValue(expiry) ?? 0,
                Hint = parse.GetValue(hint) ?? string.Empty,
            };
            message.Selectors.AddRange(ParseSelectors(parse.GetValue(selectors)));
            message.FederatesWith.AddRange(parse.GetValue(federates) ?? []);
            message.DnsNames.AddRange(parse.GetValue(dns) ?? []);
            if (name == "update" && message.Id.Length == 0)
            {
                throw new CliException("-entryID is required");
            }

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var client = AdminChannel.Client(channel);
            var result = name == "create"
                ? await client.CreateEntryAsync(new CreateEntryRequest { Entry = message }, cancellationToken: ct)
                : await client.UpdateEntryAsync(new UpdateEntryRequest { Entry = message }, cancellationToken: ct);
            if (json)
            {
                console.WriteJson(result);
            }
            else
            {
                PrintEntries(console, [result]);
            }

            return 0;
        });
        return command;
    }

    private static async Task<string> ReadDataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read -data {path}: {e.Message}");
        }
    }

    private static Command Show()
    {
        var entryId = ServerCommands.Flag<string>("entryID", "The entry ID of the record to show");
        var parentId = ServerCommands.Flag<string>("parentID", "The parent ID of the records to show");
        var spiffeId = ServerCommands.Flag<string>("spiffeID", "The SPIFFE ID of the records to show");
        var selectors = ServerCommands.Flag<string[]>("selector", "A type:value selector; entries holding all given selectors are shown");
        var federates = ServerCommands.Flag<string>("federatesWith", "Trust domain the entries federate with");
        var downstream = ServerCommands.Flag<bool?>("downstream", "Only downstream entries");
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("show", "Show registration entries") { entryId, parentId, spiffeId, selectors, federates, downstream, socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var client = AdminChannel.Client(channel);
            var response = new ListEntriesResponse();
            if (parse.GetValue(entryId) is { } id)
            {
                response.Entries.Add(await client.GetEntryAsync(new EntryIdRequest { Id = id }, cancellationToken: ct));
            }
            else
            {
                var request = new ListEntriesRequest
                {
                    BySpiffeId = parse.GetValue(spiffeId) ?? string.Empty,
                    ByParentId = parse.GetValue(parentId) ?? string.Empty,
                    ByFederatesWith = parse.GetValue(federates) ?? string.Empty,
                };
                if (parse.GetValue(downstream) is bool d)
                {
                    request.ByDownstream = d;
                }

                request.BySelectors.AddRange(ParseSelectors(parse.GetValue(selectors)));
                response = await client.ListEntriesAsync(request, cancellationToken: ct);
            }

            if (json)
            {
                console.WriteJson(response);
                return 0;
            }

            console.Out.WriteLine(response.Entries.Count == 1 ? "Found 1 entry" : string.Create(CultureInfo.InvariantCulture, $"Found {response.Entries.Count} entries"));
            if (response.Entries.Count > 0)
            {
                PrintEntries(console, response.Entries);
            }

            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var entryId = ServerCommands.Flag<string>("entryID", "The entry ID of the record to delete");
        entryId.Required = true;
        var socket = ServerCommands.SocketPath();
        var command = new Command("delete", "Delete a registration entry") { entryId, socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            await AdminChannel.Client(channel).DeleteEntryAsync(new EntryIdRequest { Id = parse.GetValue(entryId)! }, cancellationToken: ct);
            console.Out.WriteLine($"Deleted entry with ID: {parse.GetValue(entryId)}");
            return 0;
        });
        return command;
    }

    private static Command Count()
    {
        var socket = ServerCommands.SocketPath();
        var command = new Command("count", "Count registration entries") { socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var health = await AdminChannel.Client(channel).GetHealthAsync(new Empty(), cancellationToken: ct);
            console.Out.WriteLine(health.Entries == 1 ? "1 registration entry" : string.Create(CultureInfo.InvariantCulture, $"{health.Entries} registration entries"));
            return 0;
        });
        return command;
    }

    /// <summary>SPIRE 1.9+'s checks and wording: the deprecated <c>-ttl</c> cannot be mixed with the per-SVID TTLs
    /// (before, the later flag silently won).</summary>
    private static void CheckTtls(int? legacy, int? x509, int? jwt)
    {
        if (legacy < 0)
        {
            throw new CliException("a positive TTL is required");
        }

        if (x509 < 0)
        {
            throw new CliException("a positive x509-SVID TTL is required");
        }

        if (jwt < 0)
        {
            throw new CliException("a positive JWT-SVID TTL is required");
        }

        if (legacy > 0 && (x509 > 0 || jwt > 0))
        {
            throw new CliException("use x509SVIDTTL and jwtSVIDTTL flags or the deprecated ttl flag");
        }
    }

    private static string NodeParent(string spiffeId)
    {
        // SPIRE: node entries hang under the server's ID, spiffe://<td>/spire/server.
        var td = AgentFabric.Spiffe.SpiffeId.TryParse(spiffeId, out var id, out _) ? id.TrustDomain.Name : throw new CliException($"-spiffeID \"{spiffeId}\" is not a SPIFFE ID");
        return $"spiffe://{td}/spire/server";
    }

    internal static IEnumerable<Selector> ParseSelectors(string[]? texts)
    {
        foreach (var text in texts ?? [])
        {
            if (!AgentFabric.Contracts.Selector.TryParse(text, out var s))
            {
                throw new CliException($"selector \"{text}\" must be of the form type:value");
            }

            yield return new Selector { Type = s.Type, Value = s.Value };
        }
    }

    internal static void PrintEntries(CliConsole console, IEnumerable<Entry> entries)
    {
        foreach (var e in entries)
        {
            var table = CliTable.Create("Field", "Value");
            table.AddTextRow("Entry ID", e.Id);
            table.AddTextRow("SPIFFE ID", e.SpiffeId);
            table.AddTextRow("Parent ID", e.ParentId);
            table.AddTextRow("Revision", e.RevisionNumber.ToString(CultureInfo.InvariantCulture));
            table.AddTextRow("X509-SVID TTL", e.X509SvidTtl == 0 ? "default" : e.X509SvidTtl.ToString(CultureInfo.InvariantCulture));
            table.AddTextRow("JWT-SVID TTL", e.JwtSvidTtl == 0 ? "default" : e.JwtSvidTtl.ToString(CultureInfo.InvariantCulture));
            foreach (var s in e.Selectors)
            {
                table.AddTextRow("Selector", $"{s.Type}:{s.Value}");
            }

            foreach (var f in e.FederatesWith)
            {
                table.AddTextRow("FederatesWith", f);
            }

            foreach (var d in e.DnsNames)
            {
                table.AddTextRow("DNS name", d);
            }

            if (e.Admin)
            {
                table.AddTextRow("Admin", "true");
            }

            if (e.Downstream)
            {
                table.AddTextRow("Downstream", "true");
            }

            if (e.ExpiresAt != 0)
            {
                table.AddTextRow("Entry Expiry", DateTimeOffset.FromUnixTimeSeconds(e.ExpiresAt).ToString("u", CultureInfo.InvariantCulture));
            }

            if (e.Hint.Length > 0)
            {
                table.AddTextRow("Hint", e.Hint);
            }

            console.WriteTable(table);
        }
    }
}
