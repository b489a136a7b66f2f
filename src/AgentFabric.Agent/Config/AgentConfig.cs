using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFabric.Agent.Config;

/// <summary>
/// The agent's settings: seed 003's agent.conf as JSON (SPIRE's names; a file without the <c>"agent"</c> object is read
/// as its inside), then <c>AGENTFABRIC_AGENT_*</c> environment overrides (<c>__</c> between nested keys). Workload
/// attestors: <c>"workload_attestors"</c> (AgentConfig.Attestors.cs), unix alone by default. <c>agent run</c> loads it
/// and hands it to <see cref="Hosting.AgentHost"/>.
/// </summary>
public sealed partial record AgentConfig
{
    public required TrustDomain TrustDomain { get; init; }
    public required string ServerAddress { get; init; }
    public required int ServerPort { get; init; }
    public required string SocketPath { get; init; }
    public required string DataDir { get; init; }
    public string? JoinToken { get; init; }
    public string? TrustBundlePath { get; init; }
    public bool InsecureBootstrap { get; init; }
    public string LogLevel { get; init; } = "INFO";
    public string HealthAddress { get; init; } = "127.0.0.1";
    public int HealthPort { get; init; } = 8088;
    public IReadOnlyList<WorkloadAttestorSettings> WorkloadAttestors { get; init; } = [new UnixAttestorSettings()];

    private static readonly string[] s_levels = ["DEBUG", "INFO", "WARN", "ERROR"];
    private static readonly string[] s_rootKeys = ["agent", "health_checks"];
    private static readonly string[] s_agentKeys =
    [
        "trust_domain", "server_address", "server_port", "socket_path", "data_dir", "join_token", "trust_bundle_path",
        "insecure_bootstrap", "log_level", "health_checks", AttestorsKey,
    ];
    private static readonly string[] s_healthKeys = ["bind_address", "bind_port"];

    /// <summary>Reads <paramref name="path"/>, then the <c>AGENTFABRIC_AGENT_*</c> variables of <paramref name="environment"/>
    /// (the process environment when null).</summary>
    /// <exception cref="AgentConfigException">Unreadable file, bad JSON, missing or invalid setting.</exception>
    public static AgentConfig LoadFile(string path, IDictionary? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigException($"cannot read config file \"{path}\": {e.Message}");
        }

        return Load(text, environment ?? Environment.GetEnvironmentVariables());
    }

    /// <summary>Parses agent.conf's JSON text with <paramref name="environment"/>'s overrides.</summary>
    /// <exception cref="AgentConfigException">Bad JSON, missing or invalid setting.</exception>
    public static AgentConfig Load(string json, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new AgentConfigException("agent config must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new AgentConfigException($"agent config is not valid JSON: {e.Message}");
        }

        var agent = root["agent"] as JsonObject ?? root;
        DefaultAttestors(root, agent);
        // In key order: the environment has none, and settings added by it (attestors) should come out the same each run.
        foreach (DictionaryEntry e in environment.Cast<DictionaryEntry>().OrderBy(e => e.Key as string, StringComparer.Ordinal))
        {
            if (e.Key is string key && key.StartsWith("AGENTFABRIC_AGENT_", StringComparison.Ordinal) && e.Value is string value)
            {
                var path = key["AGENTFABRIC_AGENT_".Length..].ToLowerInvariant().Split("__");
                var target = agent;
                foreach (var part in path[..^1])
                {
                    target = target[part] as JsonObject ?? (JsonObject)(target[part] = new JsonObject());
                }

                target[path[^1]] = value;
            }
        }

        RejectUnknown(root, agent);
        string td = Required(agent, "trust_domain");
        if (!TrustDomain.TryParse(td, out var trustDomain))
        {
            throw new AgentConfigException($"trust_domain \"{td}\" is not a valid trust domain name");
        }

        // SPIRE's agent.conf has health_checks at the top level; seed 003 puts it inside "agent": both are read.
        var health = agent["health_checks"] as JsonObject ?? (root == agent ? null : root["health_checks"] as JsonObject);
        var config = new AgentConfig
        {
            TrustDomain = trustDomain,
            ServerAddress = Required(agent, "server_address"),
            ServerPort = Port(agent, "server_port") ?? throw new AgentConfigException("server_port is required"),
            SocketPath = Required(agent, "socket_path"),
            DataDir = Required(agent, "data_dir"),
            JoinToken = Optional(agent, "join_token"),
            TrustBundlePath = Optional(agent, "trust_bundle_path"),
            InsecureBootstrap = Bool(agent, "insecure_bootstrap"),
            LogLevel = (Optional(agent, "log_level") ?? "INFO").ToUpperInvariant(),
            HealthAddress = (health is null ? null : Optional(health, "bind_address")) ?? "127.0.0.1",
            HealthPort = (health is null ? null : Port(health, "bind_port")) ?? 8088,
            WorkloadAttestors = Attestors(agent[AttestorsKey]),
        };
        if (!s_levels.Contains(config.LogLevel))
        {
            throw new AgentConfigException($"log_level \"{config.LogLevel}\" is not one of DEBUG, INFO, WARN, ERROR");
        }

        if (config.TrustBundlePath is not null && config.InsecureBootstrap)
        {
            throw new AgentConfigException("trust_bundle_path and insecure_bootstrap exclude each other");
        }

        return config;
    }

    /// <summary>As the server's config: a key we do not know is an error, not silently ignored (a misspelt
    /// <c>join_tokn</c> would otherwise start an agent without its token).</summary>
    private static void RejectUnknown(JsonObject root, JsonObject agent)
    {
        if (root != agent)
        {
            Reject(root, s_rootKeys, null);
        }

        Reject(agent, s_agentKeys, null);
        foreach (var health in new[] { agent["health_checks"], root == agent ? null : root["health_checks"] })
        {
            if (health is not null and not JsonObject)
            {
                throw new AgentConfigException("health_checks must be a JSON object");
            }

            if (health is JsonObject o)
            {
                Reject(o, s_healthKeys, "health_checks");
            }
        }
    }

    private static void Reject(JsonObject o, string[] known, string? section)
    {
        foreach (var (key, _) in o)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw new AgentConfigException($"{(section is null ? "" : section + ": ")}unknown setting \"{key}\" (known: {string.Join(", ", known)})");
            }
        }
    }

    private static string Required(JsonObject o, string name) =>
        Optional(o, name) ?? throw new AgentConfigException($"{name} is required");

    private static string? Optional(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s.Length == 0 ? null : s,
        var other => other.ToJsonString(),
    };

    private static int? Port(JsonObject o, string name, string? label = null)
    {
        var text = Optional(o, name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new AgentConfigException($"{label ?? name} \"{text}\" is not a port number (1-65535)");
    }

    private static bool Bool(JsonObject o, string name) => Optional(o, name) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new AgentConfigException($"{name} \"{other}\" is not true or false"),
    };
}
