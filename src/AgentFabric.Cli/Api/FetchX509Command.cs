using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Cli.Api;

/// <summary><c>api fetch x509</c>: prints the workload's X.509-SVIDs and, with <c>-write DIR</c>, writes
/// svid.N.pem, svid.N.key, bundle.N.pem and federated_bundle.N.M.pem like spire-agent.</summary>
internal static class FetchX509Command
{
    /// <summary><see cref="ApiCommand.Errors"/>, and a directory that cannot be written reads as its I/O error.</summary>
    private static readonly ErrorStyle s_errors = new(ApiCommand.Errors.Prefix, e => e is IOException or UnauthorizedAccessException ? e.Message : ApiCommand.Errors.Describe(e));

    public static Command Create()
    {
        var socketPath = ApiCommand.SocketPathOption();
        var timeout = ApiCommand.TimeoutOption();
        var write = new Option<string?>("-write") { Description = "Write the SVIDs, keys and bundles into this directory" };
        var silent = new Option<bool>("-silent") { Description = "Print nothing on success" };
        var command = new Command("x509", "Fetch the workload's X.509-SVIDs.") { socketPath, timeout, write, silent };
        command.SetAction(s_errors, async (parse, console, cancellationToken) =>
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(parse.GetValue(timeout));
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = ApiCommand.ResolveAddress(parse.GetValue(socketPath)) });
            var clock = Stopwatch.StartNew();
            var context = await client.FetchX509ContextAsync(cts.Token).ConfigureAwait(false);
            if (!parse.GetValue(silent))
            {
                Print(console.Out, context, clock.Elapsed);
            }

            if (parse.GetValue(write) is { } directory)
            {
                Write(directory, context);
                if (!parse.GetValue(silent))
                {
                    await console.Out.WriteLineAsync($"Writing SVIDs and bundles to {Path.GetFullPath(directory)}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }

    private static void Print(TextWriter output, X509Context context, TimeSpan elapsed)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Received {context.Svids.Count} svid after {elapsed.TotalMilliseconds:F3}ms"));
        foreach (var svid in context.Svids)
        {
            output.WriteLine();
            output.WriteLine($"SPIFFE ID:\t\t{svid.Id}");
            if (svid.Hint is { } hint)
            {
                output.WriteLine($"Hint:\t\t\t{hint}");
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SVID Valid After:\t{svid.Leaf.NotBefore.ToUniversalTime():u}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SVID Valid Until:\t{svid.Leaf.NotAfter.ToUniversalTime():u}"));
            var bundle = context.Bundles.GetX509BundleForTrustDomain(svid.Id.TrustDomain);
            for (int i = 0; i < bundle.Authorities.Count; i++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CA #{i + 1} Valid After:\t{bundle.Authorities[i].NotBefore.ToUniversalTime():u}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CA #{i + 1} Valid Until:\t{bundle.Authorities[i].NotAfter.ToUniversalTime():u}"));
            }
        }

        output.WriteLine();
    }

    private static void Write(string directory, X509Context context)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < context.Svids.Count; i++)
        {
            X509Svid svid = context.Svids[i];
            var (chain, key) = svid.Marshal();
            File.WriteAllBytes(Path.Combine(directory, $"svid.{i}.pem"), chain);
            WritePrivate(Path.Combine(directory, $"svid.{i}.key"), key);
            var own = svid.Id.TrustDomain;
            File.WriteAllBytes(Path.Combine(directory, $"bundle.{i}.pem"), context.Bundles.GetX509BundleForTrustDomain(own).Marshal());
            int federated = 0;
            foreach (var bundle in context.Bundles.Bundles.Where(b => b.TrustDomain != own))
            {
                File.WriteAllBytes(Path.Combine(directory, $"federated_bundle.{i}.{federated++}.pem"), bundle.Marshal());
            }
        }
    }

    private static void WritePrivate(string path, byte[] content)
    {
        // The key is readable by its owner only, from the moment the file exists.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
