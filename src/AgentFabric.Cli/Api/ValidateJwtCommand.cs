using System.CommandLine;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Cli.Api;

/// <summary><c>api validate jwt -audience A -svid TOKEN</c>: asks the agent to validate a JWT-SVID (Workload API §6.2.3).</summary>
internal static class ValidateJwtCommand
{
    public static Command Create()
    {
        var socketPath = ApiCommand.SocketPathOption();
        var timeout = ApiCommand.TimeoutOption();
        var audience = new Option<string>("-audience") { Description = "The audience the token must carry", Required = true };
        var svid = new Option<string>("-svid") { Description = "The JWT-SVID to validate", Required = true };
        var command = new Command("jwt", "Validate a JWT-SVID.") { socketPath, timeout, audience, svid };
        command.SetAction(ApiCommand.Errors, async (parse, console, cancellationToken) =>
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(parse.GetValue(timeout));
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = ApiCommand.ResolveAddress(parse.GetValue(socketPath)) });
            var valid = await client.ValidateJwtSvidAsync(parse.GetValue(svid)!, parse.GetValue(audience)!, cts.Token).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"SVID is valid.\nSPIFFE ID : {valid.Id}\nClaims    : {valid.Claims.GetRawText()}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
