using System.CommandLine;
using AgentFabric.Edge;
using AgentFabric.Edge.Hosting;
using AgentFabric.Edge.Store;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Cli.Edge;

/// <summary><c>agentfabric edge run|user|client|keys</c>: the OIDC provider and token-exchange STS, and its users,
/// clients and signing keys, managed in the edge's data directory (SQLite by default, PostgreSQL by connection
/// string).</summary>
internal static class EdgeCommand
{
    /// <summary><c>error: message</c>, exit code 1; a bad edge setting reads as its own message.</summary>
    public static readonly ErrorStyle Errors = new("error: ", e => e is EdgeConfigException ? e.Message : null);

    /// <summary>The issuer when none is given: loopback only, so <c>agentfabric edge run</c> alone exposes nothing.</summary>
    public const string DefaultIssuer = "http://127.0.0.1:8480/";

    public static Command Create()
    {
        var store = new StoreFlags();
        return new Command("edge", "The edge: OIDC provider for people, RFC 8693 token exchange for agents")
        {
            EdgeRunCommand.Create(),
            EdgeUserCommands.Create(store),
            EdgeClientCommands.Create(store),
            EdgeKeysCommand.Create(store),
        };
    }

    /// <summary>The default data directory: <c>agentfabric/edge</c> under the user's local application data.</summary>
    public static string DefaultDataDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "agentfabric", "edge");

    /// <summary>Opens the stores of the edge in <paramref name="options"/>' data directory (creating the schema).</summary>
    public static async Task<ServiceProvider> OpenStoresAsync(EdgeOptions options, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddEdgeStores(options, TimeProvider.System);
        var provider = services.BuildServiceProvider();
        await EdgeDatabase.EnsureCreatedAsync(provider, cancellationToken).ConfigureAwait(false);
        return provider;
    }

    /// <summary>The flags naming where an edge keeps its data, shared by the management commands.</summary>
    internal sealed class StoreFlags
    {
        public readonly Option<string> DataDir = new("--data-dir") { Description = "The edge's data directory (keys, SQLite database)", DefaultValueFactory = _ => DefaultDataDirectory };
        public readonly Option<string> Database = new("--database") { Description = "sqlite (default) or postgres", DefaultValueFactory = _ => "sqlite" };
        public readonly Option<string?> ConnectionString = new("--connection-string") { Description = "The database connection string (required for postgres)" };

        public StoreFlags() => Database.AcceptOnlyFromAmong("sqlite", "postgres");

        public void AddTo(Command command)
        {
            command.Options.Add(DataDir);
            command.Options.Add(Database);
            command.Options.Add(ConnectionString);
        }

        public EdgeOptions Read(ParseResult parse) => new()
        {
            Issuer = new Uri(DefaultIssuer),
            DataDirectory = parse.GetValue(DataDir)!,
            DatabaseProvider = parse.GetValue(Database) == "postgres" ? EdgeDatabaseProvider.PostgreSql : EdgeDatabaseProvider.Sqlite,
            ConnectionString = parse.GetValue(ConnectionString),
        };
    }
}
