using System.Text;
using System.Text.Json.Nodes;

namespace AgentFabric.Agent.Config;

// "workload_attestors": { "unix": {}, "docker": { "docker_socket_path": ... }, "k8s": { "kubelet_read_only_port": ... } }
// SPIRE's agent.conf writes these as plugins { WorkloadAttestor "docker" { plugin_data { ... } } }; the JSON here is
// flattened like the server's "datastore" and "upstream_authority" objects, keeping SPIRE's plugin and option names.
public sealed partial record AgentConfig
{
    private const string AttestorsKey = "workload_attestors";
    private const string DefaultDockerSocket = "unix:///var/run/docker.sock";

    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL (unix(7)).
    private const int MaxSocketPathBytes = 107;

    private static readonly string[] s_kubeletOptionsNotSupported =
    [
        "kubelet_secure_port", "skip_kubelet_verification", "token_path", "certificate_path", "private_key_path",
        "kubelet_ca_path", "use_anonymous_authentication", "node_name", "node_name_env",
    ];

    /// <summary>Without the section only the unix attestor runs; the default is put in before the environment
    /// overrides so that <c>AGENTFABRIC_AGENT_WORKLOAD_ATTESTORS__DOCKER__DOCKER_SOCKET_PATH</c> adds docker beside
    /// it rather than replacing it.</summary>
    private static void DefaultAttestors(JsonObject root, JsonObject agent)
    {
        if (root["plugins"] is not null || agent["plugins"] is not null)
        {
            throw new AgentConfigException(
                "plugins: write workload attestors as \"workload_attestors\": {\"unix\": {}, \"docker\": {\"docker_socket_path\": \"" +
                DefaultDockerSocket + "\"}} inside \"agent\"");
        }

        agent[AttestorsKey] ??= new JsonObject { ["unix"] = new JsonObject() };
    }

    private static List<WorkloadAttestorSettings> Attestors(JsonNode? node)
    {
        if (node is not JsonObject section)
        {
            throw new AgentConfigException($"{AttestorsKey} must be a JSON object from attestor names (unix, docker, k8s) to their options");
        }

        if (section.Count == 0)
        {
            throw new AgentConfigException($"{AttestorsKey} enables no attestor: name at least one of unix, docker, k8s");
        }

        var attestors = new List<WorkloadAttestorSettings>();
        foreach (var (name, value) in section)
        {
            if (name is not ("unix" or "docker" or "k8s"))
            {
                throw new AgentConfigException($"{AttestorsKey}: unknown attestor \"{name}\" (known: unix, docker, k8s)");
            }

            if (value is not JsonObject options)
            {
                throw new AgentConfigException($"{AttestorsKey}.{name} must be a JSON object of options ({{}} for none)");
            }

            attestors.Add(name switch
            {
                "unix" => Unix(options),
                "docker" => Docker(options),
                _ => Kubernetes(options),
            });
        }

        return attestors;
    }

    private static UnixAttestorSettings Unix(JsonObject options)
    {
        OnlyOptions(options, "unix");
        return new UnixAttestorSettings();
    }

    private static DockerAttestorSettings Docker(JsonObject options)
    {
        OnlyOptions(options, "docker", "docker_socket_path");
        return new DockerAttestorSettings(UnixSocketOption(options, "docker", "docker_socket_path") ?? DefaultDockerSocket["unix://".Length..]);
    }

    private static KubernetesAttestorSettings Kubernetes(JsonObject options)
    {
        // SPIRE's secure-port options (kubelet TLS and service account token): not built; say so rather than ignore them.
        if (s_kubeletOptionsNotSupported.FirstOrDefault(n => options[n] is not null) is { } unsupported)
        {
            throw new AgentConfigException(
                $"{AttestorsKey}.k8s.{unsupported} is not supported: reach the kubelet through kubelet_read_only_port or a local proxy at kubelet_socket_path");
        }

        OnlyOptions(options, "k8s", "kubelet_read_only_port", "kubelet_socket_path");
        int? port = Port(options, "kubelet_read_only_port", $"{AttestorsKey}.k8s.kubelet_read_only_port");
        string? socket = UnixSocketOption(options, "k8s", "kubelet_socket_path");
        return (port, socket) switch
        {
            (null, null) => throw new AgentConfigException($"{AttestorsKey}.k8s needs kubelet_read_only_port or kubelet_socket_path"),
            (not null, not null) => throw new AgentConfigException($"{AttestorsKey}.k8s: kubelet_read_only_port and kubelet_socket_path exclude each other"),
            _ => new KubernetesAttestorSettings(port, socket),
        };
    }

    private static void OnlyOptions(JsonObject options, string attestor, params string[] supported)
    {
        foreach (var (name, _) in options)
        {
            if (!supported.Contains(name, StringComparer.Ordinal))
            {
                throw new AgentConfigException(
                    $"{AttestorsKey}.{attestor}: unknown option \"{name}\" (supported: {(supported.Length == 0 ? "none" : string.Join(", ", supported))})");
            }
        }
    }

    /// <summary>A Unix socket as SPIRE writes it (<c>unix:///run/x.sock</c>) or as an absolute path.</summary>
    private static string? UnixSocketOption(JsonObject options, string attestor, string name)
    {
        string? text = Optional(options, name);
        if (text is null)
        {
            return null;
        }

        string label = $"{AttestorsKey}.{attestor}.{name}";
        string path = text.StartsWith("unix://", StringComparison.Ordinal) ? text["unix://".Length..] : text;
        if (!path.StartsWith('/'))
        {
            throw new AgentConfigException($"{label} \"{text}\" is not a Unix socket: write unix:///absolute/path or /absolute/path");
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes)
        {
            throw new AgentConfigException($"{label} \"{text}\" is longer than a Unix socket path may be ({MaxSocketPathBytes} bytes)");
        }

        return path;
    }
}
