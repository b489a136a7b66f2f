using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFabric.Edge;
using AgentFabric.Edge.Exchange;

namespace AgentFabric.Cli.Edge;

/// <summary>
/// The edge's JSON settings file for <c>agentfabric edge run --config</c>:
/// <c>{"issuer", "data_dir", "database": "sqlite|postgres", "connection_string", "trust_bundle", "workload_api", "spiffe_clients": [],
/// "routes": [{"caller", "target"}], "policy", "lifetime_cap": "00:05:00", "decision_log",
/// "require_assertion_jti": false}</c>; every member optional,
/// unknown members refused (a misspelt setting must not be silently ignored).
/// </summary>
internal static class EdgeConfigFile
{
    private static readonly JsonSerializerOptions s_json = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static EdgeOptions Load(string path)
    {
        Settings settings;
        try
        {
            settings = JsonSerializer.Deserialize<Settings>(File.ReadAllBytes(path), s_json) ?? new Settings();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--config {path}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new CliException($"--config {path}: {e.Message}", e);
        }

        var options = new EdgeOptions
        {
            Issuer = settings.Issuer is null ? null : ParseIssuer(settings.Issuer, "issuer"),
            DataDirectory = settings.DataDir ?? "",
            DatabaseProvider = settings.Database switch
            {
                null or "sqlite" => EdgeDatabaseProvider.Sqlite,
                "postgres" => EdgeDatabaseProvider.PostgreSql,
                var other => throw new CliException($"--config {path}: database \"{other}\" is not one of sqlite, postgres"),
            },
            ConnectionString = settings.ConnectionString,
            TrustBundlePath = settings.TrustBundle,
            WorkloadApiAddress = settings.WorkloadApi,
            PolicyPath = settings.Policy,
            DecisionLogPath = settings.DecisionLog,
            RequireClientAssertionJti = settings.RequireAssertionJti ?? false,
        };
        if (settings.LifetimeCap is { } cap)
        {
            options.ExchangeLifetimeCap = TimeSpan.TryParse(cap, System.Globalization.CultureInfo.InvariantCulture, out var t)
                ? t
                : throw new CliException($"--config {path}: lifetime_cap \"{cap}\" is not a duration (hh:mm:ss)");
        }

        foreach (var client in settings.SpiffeClients ?? [])
        {
            options.SpiffeClients.Add(client);
        }

        foreach (var route in settings.Routes ?? [])
        {
            options.ExchangeRoutes.Add(new ExchangeRoute(route.Caller ?? "", route.Target ?? ""));
        }

        return options;
    }

    public static Uri ParseIssuer(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new CliException($"{name} \"{text}\" is not an absolute URL");

    public static ExchangeRoute ParseRoute(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && eq < text.Length - 1
            ? new ExchangeRoute(text[..eq], text[(eq + 1)..])
            : throw new CliException($"--route \"{text}\": want caller=target");
    }

    private sealed class Settings
    {
        [JsonPropertyName("issuer")] public string? Issuer { get; set; }
        [JsonPropertyName("data_dir")] public string? DataDir { get; set; }
        [JsonPropertyName("database")] public string? Database { get; set; }
        [JsonPropertyName("connection_string")] public string? ConnectionString { get; set; }
        [JsonPropertyName("trust_bundle")] public string? TrustBundle { get; set; }
        [JsonPropertyName("workload_api")] public string? WorkloadApi { get; set; }
        [JsonPropertyName("spiffe_clients")] public string[]? SpiffeClients { get; set; }
        [JsonPropertyName("routes")] public RouteSetting[]? Routes { get; set; }
        [JsonPropertyName("policy")] public string? Policy { get; set; }
        [JsonPropertyName("lifetime_cap")] public string? LifetimeCap { get; set; }
        [JsonPropertyName("decision_log")] public string? DecisionLog { get; set; }
        [JsonPropertyName("require_assertion_jti")] public bool? RequireAssertionJti { get; set; }
    }

    private sealed class RouteSetting
    {
        [JsonPropertyName("caller")] public string? Caller { get; set; }
        [JsonPropertyName("target")] public string? Target { get; set; }
    }
}
