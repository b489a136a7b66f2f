using System.CommandLine;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Cli.Api;

/// <summary><c>api fetch jwt -audience A[,B] [-spiffeID ID]</c>: prints the JWT-SVIDs and the JWT bundles.</summary>
internal static class FetchJwtCommand
{
    public static Command Create()
    {
        var socketPath = ApiCommand.SocketPathOption();
        var timeout = ApiCommand.TimeoutOption();
        var audience = new Option<string>("-audience") { Description = "Comma separated audience values", Required = true };
        var spiffeId = new Option<string?>("-spiffeID") { Description = "The SPIFFE ID of the JWT-SVID to fetch (optional)" };
        var command = new Command("jwt", "Fetch JWT-SVIDs for an audience.") { socketPath, timeout, audience, spiffeId };
        command.SetAction(ApiCommand.Errors, async (parse, console, cancellationToken) =>
        {
            string[] audiences = (parse.GetValue(audience) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (audiences.Length == 0)
            {
                throw new CliException("-audience needs at least one value");
            }

            SpiffeId? subject = null;
            if (parse.GetValue(spiffeId) is { Length: > 0 } text)
            {
                if (!SpiffeId.TryParse(text, out var id, out var idError))
                {
                    throw new CliException($"-spiffeID: {idError}");
                }

                subject = id;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(parse.GetValue(timeout));
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = ApiCommand.ResolveAddress(parse.GetValue(socketPath)) });
            var svids = await client.FetchJwtSvidsAsync(audiences[0], audiences[1..], subject, cts.Token).ConfigureAwait(false);
            var bundles = await client.FetchJwtBundlesAsync(cts.Token).ConfigureAwait(false);
            foreach (var svid in svids)
            {
                await console.Out.WriteLineAsync($"token({svid.Id}):\n\t{svid.Token}").ConfigureAwait(false);
            }

            foreach (var bundle in bundles.Bundles)
            {
                await console.Out.WriteLineAsync($"bundle({bundle.TrustDomain.IdString}):\n\t{System.Text.Encoding.UTF8.GetString(bundle.Marshal())}").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
