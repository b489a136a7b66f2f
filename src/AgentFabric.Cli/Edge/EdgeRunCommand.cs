using System.CommandLine;
using AgentFabric.Edge;
using AgentFabric.Edge.Exchange;
using AgentFabric.Edge.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace AgentFabric.Cli.Edge;

/// <summary><c>agentfabric edge run</c>: runs the edge until Ctrl+C or SIGTERM, set up from a JSON file
/// (<c>--config</c>, see <see cref="EdgeConfigFile"/>) and flags, flags winning. With nothing given it listens on
/// <see cref="EdgeCommand.DefaultIssuer"/> (loopback) with SQLite in the default data directory.</summary>
internal static class EdgeRunCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "A JSON file of settings (flags override it)" };
        var issuer = new Option<string?>("--issuer") { Description = $"The issuer URL; the edge listens on its host and port (default {EdgeCommand.DefaultIssuer})" };
        var dataDir = new Option<string?>("--data-dir") { Description = "The data directory (keys, SQLite database, decision log)" };
        var database = new Option<string?>("--database") { Description = "sqlite (default) or postgres" };
        var connection = new Option<string?>("--connection-string") { Description = "The database connection string (required for postgres)" };
        var trustBundle = new Option<string?>("--trust-bundle") { Description = "SPIFFE bundle map file: the trust bundles client assertions are checked against" };
        var workloadApi = new Option<string?>("--workload-api") { Description = "The node agent's Workload API (unix:///path or tcp://127.0.0.1:port): trust bundles live from it, instead of --trust-bundle" };
        var spiffeClients = new Option<string[]>("--spiffe-client") { Description = "A SPIFFE client: an ID, spiffe://td/path/* or spiffe://td/* (repeatable)", AllowMultipleArgumentsPerToken = false };
        var routes = new Option<string[]>("--route") { Description = "caller=target: an exchange the built-in policy allows (repeatable)", AllowMultipleArgumentsPerToken = false };
        var policy = new Option<string?>("--policy") { Description = "A policy bundle (directory or .tar.gz) replacing the built-in exchange policy" };
        var lifetimeCap = new Option<TimeSpan?>("--lifetime-cap") { Description = "The longest life of an exchanged token (default 00:05:00)" };
        var decisionLog = new Option<string?>("--decision-log") { Description = "The decision log file (default decisions.jsonl in the data directory)" };
        var requireJti = new Option<bool>("--require-assertion-jti") { Description = "Refuse JWT-SVID client assertions without a jti (SPIRE's carry none unless the entry asks)" };
        database.AcceptOnlyFromAmong("sqlite", "postgres");
        var run = new Command("run", "Run the edge") { config, issuer, dataDir, database, connection, trustBundle, workloadApi, spiffeClients, routes, policy, lifetimeCap, decisionLog, requireJti };
        run.SetAction(EdgeCommand.Errors, async (parse, console, ct) =>
        {
            var options = parse.GetValue(config) is { } path ? EdgeConfigFile.Load(path) : new EdgeOptions();
            if (parse.GetValue(issuer) is { } i)
            {
                options.Issuer = EdgeConfigFile.ParseIssuer(i, "--issuer");
            }

            options.Issuer ??= new Uri(EdgeCommand.DefaultIssuer);
            options.DataDirectory = parse.GetValue(dataDir) ?? (options.DataDirectory.Length > 0 ? options.DataDirectory : EdgeCommand.DefaultDataDirectory);
            if (parse.GetValue(database) is { } db)
            {
                options.DatabaseProvider = db == "postgres" ? EdgeDatabaseProvider.PostgreSql : EdgeDatabaseProvider.Sqlite;
            }

            options.ConnectionString = parse.GetValue(connection) ?? options.ConnectionString;
            options.TrustBundlePath = parse.GetValue(trustBundle) ?? options.TrustBundlePath;
            options.WorkloadApiAddress = parse.GetValue(workloadApi) ?? options.WorkloadApiAddress;
            options.PolicyPath = parse.GetValue(policy) ?? options.PolicyPath;
            options.ExchangeLifetimeCap = parse.GetValue(lifetimeCap) ?? options.ExchangeLifetimeCap;
            options.DecisionLogPath = parse.GetValue(decisionLog) ?? options.DecisionLogPath ?? Path.Combine(options.DataDirectory, "decisions.jsonl");
            options.RequireClientAssertionJti |= parse.GetValue(requireJti);
            foreach (var client in parse.GetValue(spiffeClients) ?? [])
            {
                options.SpiffeClients.Add(client);
            }

            foreach (var route in parse.GetValue(routes) ?? [])
            {
                options.ExchangeRoutes.Add(EdgeConfigFile.ParseRoute(route));
            }

            var errors = options.Validate();
            if (errors.Count > 0)
            {
                throw new CliException(string.Join("; ", errors));
            }

            WebApplication app = await EdgeHost.BuildAsync(options, cancellationToken: ct).ConfigureAwait(false);
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.StartAsync(ct).ConfigureAwait(false);
                    console.Out.WriteLine($"edge listening at {options.Issuer} (data in {options.DataDirectory})");
                    await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl+C or SIGTERM: stop below.
                }
                catch (IOException e)
                {
                    throw new CliException($"cannot listen on {options.Issuer}: {e.Message}", e);
                }

                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return 0;
        });
        return run;
    }
}
