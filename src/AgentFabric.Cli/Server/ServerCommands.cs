using System.CommandLine;
using Grpc.Core;

namespace AgentFabric.Cli.Server;

/// <summary>
/// The identity server's commands, spelled as SPIRE's <c>spire-server</c> spells them (single-dash long flags such
/// as <c>-parentID</c>, double-dash accepted too), so <c>spire-server entry create ...</c> works as
/// <c>agentfabric entry create ...</c>.
/// </summary>
internal static class ServerCommands
{
    public const string DefaultSocketPath = AgentFabric.Server.Config.ServerDefaults.SocketPath;

    /// <summary>As <c>spire-server</c>: <c>Error: message</c>, exit code 1; an Admin API error reads as the server's
    /// detail, an unreachable socket says so.</summary>
    public static readonly ErrorStyle Errors = new("Error: ", e => e is RpcException r ? Describe(r) : null);

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(ServerRunCommand.Create());
        root.Subcommands.Add(EntryCommands.Create());
        root.Subcommands.Add(BundleCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(AgentCommands.Create());
        root.Subcommands.Add(HealthcheckCommand.Create());
        root.Subcommands.Add(MintCommands.CreateX509());
        root.Subcommands.Add(MintCommands.CreateJwt());
        root.Subcommands.Add(FederationCommands.Create());
    }

    /// <summary>An option named <c>-name</c> that also answers to <c>--name</c>.</summary>
    public static Option<T> Flag<T>(string name, string description) =>
        new($"-{name}", $"--{name}") { Description = description };

    public static Option<string> SocketPath() =>
        new("-socketPath", "--socketPath") { Description = "Path to the server's Admin API socket", DefaultValueFactory = _ => DefaultSocketPath };

    public static Option<string> Output() =>
        new("-output", "--output") { Description = "Output format: pretty or json", DefaultValueFactory = _ => "pretty" };

    /// <summary>Whether <c>-output</c> asks for JSON (pretty prints tables); any other value is a failure.</summary>
    public static bool IsJson(string? output) => output switch
    {
        null or "pretty" => false,
        "json" => true,
        _ => throw new CliException($"-output \"{output}\" is not one of pretty, json"),
    };

    private static string Describe(RpcException e) => e.StatusCode == StatusCode.Unavailable
        ? $"cannot reach the server's Admin API: {AgentFabric.Server.Api.AdminSocketException.Find(e.Status.DebugException)?.Message ?? e.Status.Detail}"
        : e.Status.Detail;
}
