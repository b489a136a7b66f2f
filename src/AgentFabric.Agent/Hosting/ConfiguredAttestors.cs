using System.Globalization;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Config;

namespace AgentFabric.Agent.Hosting;

/// <summary>The workload attestors agent.json enables, built over the kernel's process table (procfs in
/// the host); owns the HTTP clients they use.</summary>
internal sealed class ConfiguredAttestors : IDisposable
{
    private static readonly TimeSpan s_kubeletTimeout = TimeSpan.FromSeconds(5);
    private readonly List<IDisposable> _owned = [];

    private ConfiguredAttestors()
    {
    }

    /// <summary>In the order of the configuration; the caller's selectors are the union of theirs.</summary>
    public IReadOnlyList<IWorkloadAttestor> Attestors { get; private set; } = [];

    public static ConfiguredAttestors Create(IEnumerable<WorkloadAttestorSettings> settings, IProcessTable processes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(processes);
        var built = new ConfiguredAttestors();
        built.Attestors = [.. settings.Select(s => built.Create(s, processes))];
        return built;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private IWorkloadAttestor Create(WorkloadAttestorSettings settings, IProcessTable processes)
    {
        switch (settings)
        {
            case UnixAttestorSettings:
                return new UnixWorkloadAttestor(processes, new UserDirectory());
            case DockerAttestorSettings docker:
                var engine = new DockerWorkloadAttestor(processes, docker.SocketPath);
                _owned.Add(engine);
                return engine;
            case KubernetesAttestorSettings { SocketPath: { } socket }:
                return KubernetesWorkloadAttestor.OverUnixSocket(processes, socket);
            case KubernetesAttestorSettings { ReadOnlyPort: { } port }:
                // SPIRE's kubelet_read_only_port: plain HTTP to the kubelet on this node.
                var kubelet = new HttpClient
                {
                    BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")),
                    Timeout = s_kubeletTimeout,
                };
                _owned.Add(kubelet);
                return new KubernetesWorkloadAttestor(processes, kubelet);
            default:
                throw new ArgumentException($"agent: no workload attestor for {settings}", nameof(settings));
        }
    }
}
