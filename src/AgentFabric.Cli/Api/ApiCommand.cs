using System.CommandLine;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Cli.Api;

/// <summary>
/// <c>agentfabric api ...</c>: a workload's view of the Workload API, like <c>spire-agent api</c>:
/// <c>fetch x509 [-socketPath P] [-write DIR]</c>, <c>fetch jwt -audience A [-spiffeID ID]</c>,
/// <c>validate jwt -audience A -svid TOKEN</c>.
/// </summary>
public static class ApiCommand
{
    /// <summary>The socket used when neither <c>-socketPath</c> nor <c>SPIFFE_ENDPOINT_SOCKET</c> is set.</summary>
    public const string DefaultSocketPath = "/tmp/agentfabric-agent/public/api.sock";

    /// <summary>As <c>spire-agent api</c>: <c>error: message</c>, exit code 1; a Workload API error reads as its
    /// message, a deadline that passed (or a cancelled call) as a timeout.</summary>
    internal static readonly ErrorStyle Errors = new("error: ", e => e switch
    {
        OperationCanceledException => "timed out waiting for the Workload API",
        WorkloadApiException => e.Message,
        _ => null,
    });

    /// <summary>The <c>api</c> command group. The commands write where the parse was invoked to write
    /// (<see cref="InvocationConfiguration"/>).</summary>
    public static Command Create()
    {
        var fetch = new Command("fetch", "Fetch an SVID from the Workload API.");
        fetch.Subcommands.Add(FetchX509Command.Create());
        fetch.Subcommands.Add(FetchJwtCommand.Create());
        var validate = new Command("validate", "Validate an SVID through the Workload API.");
        validate.Subcommands.Add(ValidateJwtCommand.Create());

        var api = new Command("api", "Talk to the SPIFFE Workload API as a workload.");
        api.Subcommands.Add(fetch);
        api.Subcommands.Add(validate);
        return api;
    }

    internal static Option<string?> SocketPathOption() => new("-socketPath")
    {
        Description = $"Path of the Workload API socket (default: SPIFFE_ENDPOINT_SOCKET, else {DefaultSocketPath})",
    };

    internal static Option<TimeSpan> TimeoutOption() => new("-timeout")
    {
        Description = "Time to wait for a response",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
    };

    /// <summary>The endpoint address: <c>-socketPath</c> (a path or a unix:/tcp: URI), else the environment, else the
    /// default socket.</summary>
    internal static string ResolveAddress(string? socketPath)
    {
        if (!string.IsNullOrEmpty(socketPath))
        {
            return socketPath.Contains("://", StringComparison.Ordinal) ? socketPath : "unix://" + Path.GetFullPath(socketPath);
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable("SPIFFE_ENDPOINT_SOCKET");
        return string.IsNullOrEmpty(fromEnvironment) ? "unix://" + DefaultSocketPath : fromEnvironment;
    }
}
