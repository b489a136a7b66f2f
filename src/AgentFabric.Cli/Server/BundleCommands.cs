using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Server.Api;
using AgentFabric.Server.Api.V1;
using AgentFabric.Server.Federation;
using Google.Protobuf;

namespace AgentFabric.Cli.Server;

/// <summary><c>bundle show|list|set|delete</c> (pem or spiffe format, as SPIRE).</summary>
internal static class BundleCommands
{
    public static Command Create()
    {
        var bundle = new Command("bundle", "Manage trust bundles");
        bundle.Subcommands.Add(Show());
        bundle.Subcommands.Add(List());
        bundle.Subcommands.Add(Set());
        bundle.Subcommands.Add(Delete());
        return bundle;
    }

    private static Option<string> Format() =>
        new("-format", "--format") { Description = "pem or spiffe", DefaultValueFactory = _ => "pem" };

    private static Command Show()
    {
        var format = Format();
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("show", "Show the server's own trust bundle") { format, socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            var f = CheckFormat(parse.GetValue(format));
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var bundle = await AdminChannel.Client(channel).GetBundleAsync(new Empty(), cancellationToken: ct);
            if (json)
            {
                console.WriteJson(bundle);
            }
            else
            {
                console.Out.Write(Render(bundle, f));
            }

            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var id = ServerCommands.Flag<string>("id", "Trust domain SPIFFE ID of the bundle to show (all when unset)");
        var format = Format();
        var socket = ServerCommands.SocketPath();
        var output = ServerCommands.Output();
        var command = new Command("list", "List federated bundles") { id, format, socket, output };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var json = ServerCommands.IsJson(parse.GetValue(output));

            var f = CheckFormat(parse.GetValue(format));
            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            var response = await AdminChannel.Client(channel).ListFederatedBundlesAsync(new ListFederatedBundlesRequest { TrustDomain = parse.GetValue(id) ?? string.Empty }, cancellationToken: ct);
            if (json)
            {
                console.WriteJson(response);
                return 0;
            }

            foreach (var b in response.Bundles)
            {
                console.Out.WriteLine($"****************************************\n* {b.TrustDomain}\n****************************************");
                console.Out.Write(Render(b, f));
            }

            return 0;
        });
        return command;
    }

    private static Command Set()
    {
        var id = ServerCommands.Flag<string>("id", "Trust domain SPIFFE ID of the bundle to set");
        id.Required = true;
        var path = ServerCommands.Flag<string>("path", "File holding the bundle (stdin when unset)");
        var format = Format();
        var socket = ServerCommands.SocketPath();
        var command = new Command("set", "Create or replace a federated trust domain's bundle") { id, path, format, socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var f = CheckFormat(parse.GetValue(format));
            string data;
            try
            {
                data = parse.GetValue(path) is { } p ? await File.ReadAllTextAsync(p, ct) : await Console.In.ReadToEndAsync(ct);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot read bundle: {e.Message}", e);
            }

            var request = new SetFederatedBundleRequest { TrustDomain = parse.GetValue(id)! };
            if (f == "spiffe")
            {
                request.SpiffeBundleJson = data;
            }
            else
            {
                var certs = new X509Certificate2Collection();
                try
                {
                    certs.ImportFromPem(data);
                }
                catch (CryptographicException e)
                {
                    throw new CliException($"bundle PEM holds an unreadable certificate: {e.Message}", e);
                }

                if (certs.Count == 0)
                {
                    throw new CliException("no certificate found in the PEM bundle data");
                }

                request.X509Authorities.AddRange(certs.Select(c => ByteString.CopyFrom(c.RawData)));
            }

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            await AdminChannel.Client(channel).SetFederatedBundleAsync(request, cancellationToken: ct);
            console.Out.WriteLine("bundle set.");
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var id = ServerCommands.Flag<string>("id", "Trust domain SPIFFE ID of the bundle to delete");
        id.Required = true;
        var mode = ServerCommands.Flag<string>("mode", "Deletion mode: one of restrict, delete, or dissociate");
        mode.DefaultValueFactory = _ => "restrict";
        var socket = ServerCommands.SocketPath();
        var command = new Command("delete", "Delete a federated bundle") { id, mode, socket };
        command.SetAction(ServerCommands.Errors, async (parse, console, ct) =>
        {
            var m = parse.GetValue(mode);
            if (m is not ("restrict" or "delete" or "dissociate"))
            {
                throw new CliException($"unsupported mode \"{m}\"");
            }

            using var channel = AdminChannel.Create(parse.GetValue(socket)!);
            await AdminChannel.Client(channel).DeleteFederatedBundleAsync(new TrustDomainRequest { TrustDomain = parse.GetValue(id)!, Mode = m }, cancellationToken: ct);
            console.Out.WriteLine("bundle deleted.");
            return 0;
        });
        return command;
    }

    private static string CheckFormat(string? format) =>
        format is "pem" or "spiffe" ? format : throw new CliException($"-format \"{format}\" is not one of pem, spiffe");

    internal static string Render(Bundle bundle, string format)
    {
        var certs = bundle.X509Authorities.Select(c => X509CertificateLoader.LoadCertificate(c.Span)).ToArray();
        if (format == "spiffe")
        {
            var td = BundleService.ParseTrustDomain(bundle.TrustDomain);
            var spiffe = StoredBundleFormat.ToSpiffeBundle(td, certs, bundle.JwtAuthoritiesJwks, bundle.RefreshHint, bundle.SequenceNumber);
            return Encoding.UTF8.GetString(spiffe.Marshal(indented: true)) + "\n";
        }

        return Encoding.ASCII.GetString(BundleService.CertificatePem(certs));
    }
}
