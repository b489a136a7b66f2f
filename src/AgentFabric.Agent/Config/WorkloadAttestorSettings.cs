namespace AgentFabric.Agent.Config;

/// <summary>One enabled workload attestor of <c>"workload_attestors"</c> in agent.json (SPIRE's WorkloadAttestor
/// plugins, named as SPIRE names them, with SPIRE's plugin_data option names).</summary>
public abstract record WorkloadAttestorSettings(string Name);

/// <summary><c>"unix": {}</c>: selectors from the caller's kernel credentials and executable (no options).</summary>
public sealed record UnixAttestorSettings() : WorkloadAttestorSettings("unix");

/// <summary><c>"docker": {"docker_socket_path": "unix:///var/run/docker.sock"}</c>: the Docker Engine API socket.</summary>
public sealed record DockerAttestorSettings(string SocketPath) : WorkloadAttestorSettings("docker");

/// <summary><c>"k8s"</c>: the kubelet's pod list, from its read-only port on 127.0.0.1 (SPIRE's
/// <c>kubelet_read_only_port</c>) or from a local proxy on a Unix socket (<c>kubelet_socket_path</c>); exactly one
/// is set.</summary>
public sealed record KubernetesAttestorSettings(int? ReadOnlyPort, string? SocketPath) : WorkloadAttestorSettings("k8s");
