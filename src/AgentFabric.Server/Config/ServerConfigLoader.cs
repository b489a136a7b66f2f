using System.Collections;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFabric.Server.Registration;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Config;

/// <summary>
/// Reads the JSON config file, applies environment overrides and validates every setting with a specific error.
/// Overrides: <c>AGENTFABRIC_SERVER_&lt;KEY&gt;</c> for a top-level key (<c>AGENTFABRIC_SERVER_TRUST_DOMAIN</c>) and
/// <c>__</c> between nested keys (<c>AGENTFABRIC_SERVER_DATASTORE__CONNECTION_STRING</c>); an override wins over the file.
/// </summary>
public static partial class ServerConfigLoader
{
    public const string EnvironmentPrefix = "AGENTFABRIC_SERVER_";

    private static readonly JsonSerializerOptions s_json = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        // Environment overrides arrive as text: "8081" fills a port, while "0" stays text for a duration.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowReadingFromString,
    };

    public static ServerSettings LoadFile(string path, IDictionary? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerConfigException($"config: cannot read \"{path}\": {e.Message}", e);
        }

        return Load(text, environment ?? Environment.GetEnvironmentVariables());
    }

    public static ServerSettings Load(string json, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        JsonObject root;
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = node as JsonObject ?? throw new ServerConfigException("config: the file must hold a JSON object");
        }
        catch (JsonException e)
        {
            throw new ServerConfigException($"config: invalid JSON: {e.Message}", e);
        }

        var server = root["server"] as JsonObject ?? root;
        ApplyEnvironment(server, environment);
        ServerConfigFile file;
        try
        {
            file = server.Deserialize<ServerConfigFile>(s_json) ?? new ServerConfigFile();
        }
        catch (JsonException e)
        {
            throw new ServerConfigException($"config: {Describe(e)}", e);
        }

        return Validate(file);
    }

    private static string Describe(JsonException e)
    {
        var setting = e.Path?.TrimStart('$', '.');
        if (setting is { Length: > 0 } && e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"unknown setting \"{setting}\"";
        }

        // System.Text.Json names the CLR type ("System.Nullable`1[System.Int32]"); say what the file must hold.
        if (setting is { Length: > 0 } && e.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            var expected = e.Message.Contains("Int32", StringComparison.Ordinal) ? "a whole number"
                : e.Message.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : e.Message.Contains("System.String", StringComparison.Ordinal) ? "a string"
                : "a value of another type";
            return $"{setting} must be {expected}";
        }

        return $"{setting}: {e.Message}";
    }

    private static void ApplyEnvironment(JsonObject server, IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string key || !key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || entry.Value is not string value)
            {
                continue;
            }

            var path = key[EnvironmentPrefix.Length..].ToLowerInvariant().Split("__");
            var target = server;
            for (var i = 0; i < path.Length - 1; i++)
            {
                if (target[path[i]] is not JsonObject child)
                {
                    child = [];
                    target[path[i]] = child;
                }

                target = child;
            }

            target[path[^1]] = ToNode(value);
        }
    }

    private static JsonNode? ToNode(string value) =>
        bool.TryParse(value, out var b) ? JsonValue.Create(b)
        : value.StartsWith('[') || value.StartsWith('{') ? JsonNode.Parse(value)
        : JsonValue.Create(value);

    private static ServerSettings Validate(ServerConfigFile f)
    {
        if (string.IsNullOrWhiteSpace(f.TrustDomain))
        {
            throw new ServerConfigException("config: trust_domain is required");
        }

        if (!TrustDomain.TryParse(f.TrustDomain, out var trustDomain, out var tdError))
        {
            throw new ServerConfigException($"config: trust_domain \"{f.TrustDomain}\" is invalid: {tdError}");
        }

        if (string.IsNullOrWhiteSpace(f.DataDir))
        {
            throw new ServerConfigException("config: data_dir is required");
        }

        var dataDir = Path.GetFullPath(f.DataDir);
        var x509Ttl = Duration("default_x509_svid_ttl", f.DefaultX509SvidTtl, TimeSpan.FromHours(1));
        var caTtl = Duration("ca_ttl", f.CaTtl, TimeSpan.FromHours(24));
        if (x509Ttl >= caTtl)
        {
            throw new ServerConfigException(
                $"config: default_x509_svid_ttl ({DurationText.Format(x509Ttl)}) must be shorter than ca_ttl ({DurationText.Format(caTtl)})");
        }

        if (f.CaKeyType is not null and not "ec-p256")
        {
            throw new ServerConfigException($"config: ca_key_type \"{f.CaKeyType}\" is not supported (only ec-p256)");
        }

        var logLevel = (f.LogLevel ?? "INFO").ToUpperInvariant();
        if (logLevel is not ("DEBUG" or "INFO" or "WARN" or "ERROR"))
        {
            throw new ServerConfigException($"config: log_level \"{f.LogLevel}\" is not one of DEBUG, INFO, WARN, ERROR");
        }

        var (kind, connection) = Datastore(f.Datastore, dataDir);
        var (keyKind, keysPath) = KeyManager(f.KeyManager, dataDir);
        return new ServerSettings
        {
            TrustDomain = trustDomain,
            BindAddress = Address("bind_address", f.BindAddress, IPAddress.Any),
            BindPort = Port("bind_port", f.BindPort, 8081),
            SocketPath = string.IsNullOrWhiteSpace(f.SocketPath) ? ServerDefaults.SocketPath : Path.GetFullPath(f.SocketPath),
            DataDir = dataDir,
            LogLevel = logLevel,
            JwtIssuer = string.IsNullOrWhiteSpace(f.JwtIssuer) ? null : f.JwtIssuer,
            CaSubject = new CaSubject(
                f.CaSubject?.Country ?? [],
                f.CaSubject?.Organization ?? ["AgentFabric"],
                f.CaSubject?.CommonName ?? "AgentFabric CA"),
            CaTtl = caTtl,
            DefaultX509SvidTtl = x509Ttl,
            DefaultJwtSvidTtl = Duration("default_jwt_svid_ttl", f.DefaultJwtSvidTtl, TimeSpan.FromMinutes(5)),
            AgentTtl = Duration("agent_ttl", f.AgentTtl, x509Ttl),
            AgentReattestGrace = DurationOrZero("agent_reattest_grace", f.AgentReattestGrace, TimeSpan.FromDays(7)),
            PruneAttestedNodesExpiredFor = f.PruneAttestedNodesExpiredFor is null ? null : Duration("prune_attested_nodes_expired_for", f.PruneAttestedNodesExpiredFor, TimeSpan.Zero),
            PruneAttestedNodesBatchSize = Positive("prune_attested_nodes_batch_size", f.PruneAttestedNodesBatchSize, RegistrationService.DefaultNodePruneBatchSize),
            DatastoreKind = kind,
            DatastoreConnectionString = connection,
            KeyManagerKind = keyKind,
            KeysPath = keysPath,
            UpstreamAuthority = Upstream(f.UpstreamAuthority),
            HealthListenerEnabled = f.HealthChecks?.ListenerEnabled ?? true,
            HealthBindAddress = Address("health_checks.bind_address", f.HealthChecks?.BindAddress, IPAddress.Loopback),
            HealthBindPort = Port("health_checks.bind_port", f.HealthChecks?.BindPort, 8080),
            AttestationRateLimit = Positive("rate_limit.attestation", f.RateLimit?.Attestation, 1),
            SigningRateLimit = Positive("rate_limit.signing", f.RateLimit?.Signing, 500),
            BundleEndpoint = BundleEndpoint(f.Federation?.BundleEndpoint),
            FederatesWith = FederatesWith(f.Federation?.FederatesWith),
            AdminIds = (f.AdminIds ?? []).Select(id => SpiffeId.TryParse(id, out var parsed, out var error)
                ? parsed
                : throw new ServerConfigException($"config: admin_ids \"{id}\" is not a SPIFFE ID: {error}")).ToArray(),
        };
    }
}
