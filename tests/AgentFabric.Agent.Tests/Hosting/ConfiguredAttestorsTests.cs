using System.Collections;
using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Agent.Config;
using AgentFabric.Agent.Hosting;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Tests.Hosting;

/// <summary>
/// <c>agent run</c>'s attestors as agent.json configures them, behind a real Workload API endpoint, with the Docker
/// Engine API replayed on a Unix socket. The one scripted fact is the caller's cgroup file (the test process is in no
/// container); every other /proc read, the socket's peer credentials and the HTTP exchange are real.
/// </summary>
public sealed class ConfiguredAttestorsTests : IAsyncLifetime
{
    private const string ContainerId = "5c0ffee0d15ea5e5b0a710ad1e5511ce0ddba11cafef00d5eed1e55ba5eba11c";

    // Recorded shape of GET /containers/{id}/json (Docker Engine API v1.43), trimmed to the fields in use.
    private const string DockerInspect = $$$$"""
        {"Id":"{{{{ContainerId}}}}","Created":"2026-11-22T08:30:00Z","Path":"/app/researcher","State":{"Status":"running","Pid":31337},
         "Image":"sha256:4d3c2b1a09f8","Name":"/researcher-1",
         "Config":{"Hostname":"5c0ffee0d15e","Image":"ghcr.io/agentfabric/researcher:2.0.1",
                   "Labels":{"org.agentfabric.role":"researcher","team":"ai"}}}
        """;

    private readonly LocalCaIdentityProvider _provider = new();
    private readonly string _socketPath = SelfProcess.NewSocketPath();
    private RecordedApiServer? _engine;

    public async Task InitializeAsync() =>
        _engine = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>
        {
            [$"/containers/{ContainerId}/json"] = (200, DockerInspect),
        });

    public async Task DisposeAsync()
    {
        await _engine!.DisposeAsync();
        _provider.Dispose();
        Directory.Delete(Path.GetDirectoryName(_socketPath)!, recursive: true);
    }

    private const string PodUid = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

    // Recorded shape of the kubelet's GET /pods (a v1 PodList), trimmed.
    private const string KubeletPods = $$$$"""
        {"kind":"PodList","apiVersion":"v1","items":[
          {"metadata":{"name":"researcher-7c9f","namespace":"agents","uid":"{{{{PodUid}}}}","labels":{"app":"researcher"}},
           "spec":{"serviceAccountName":"researcher"},
           "status":{"containerStatuses":[{"name":"main","containerID":"containerd://{{{{ContainerId}}}}"}]}}]}
        """;

    private const string PodCgroups = $"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0c1d2e3f_4a5b_4c6d_8e7f_9a0b1c2d3e4f.slice/cri-containerd-{ContainerId}.scope\n";

    private AgentConfig Config(string? attestors = null) => AgentConfig.Load($$"""
        { "agent": { "trust_domain": "example.org", "server_address": "127.0.0.1", "server_port": 8081,
          "socket_path": "/unused", "data_dir": "/unused",
          "workload_attestors": {{attestors ?? $$"""{ "unix": {}, "docker": { "docker_socket_path": "unix://{{_engine!.SocketPath}}" } }"""}} } }
        """, new Hashtable());

    [Fact]
    public async Task ContainerisedCaller_GetsTheEntryMatchingItsUidAndDockerLabel()
    {
        _provider.SetEntries(
            new RegistrationEntry("researcher", SpiffeId.Parse("spiffe://example.org/researcher"), [SelfProcess.UidSelector, new Selector("docker", "label:team:ai")]),
            new RegistrationEntry("writer", SpiffeId.Parse("spiffe://example.org/writer"), [new Selector("docker", "label:team:writers")]));
        var (attestor, endpoint, configured) = await StartAsync($"0::/system.slice/docker-{ContainerId}.scope\n");
        using (configured)
        await using (endpoint)
        {
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = endpoint.Address });
            var context = await client.FetchX509ContextAsync();

            Assert.Equal(["spiffe://example.org/researcher"], context.Svids.Select(s => s.Id.ToString()));
            Assert.Equal("unix+docker", attestor.Name);
            Assert.Equal((1, 0), (attestor.Succeeded, attestor.Failed));
            Assert.Equal([$"GET /containers/{ContainerId}/json"], _engine!.Requests);
        }
    }

    [Fact]
    public async Task ContainerUnknownToTheEngine_IsDeniedWithTheAttestorsReason()
    {
        _provider.SetEntries(new RegistrationEntry("researcher", SpiffeId.Parse("spiffe://example.org/researcher"), [SelfProcess.UidSelector]));
        string other = new('e', 64);
        var (attestor, endpoint, configured) = await StartAsync($"0::/system.slice/docker-{other}.scope\n");
        using (configured)
        await using (endpoint)
        {
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = endpoint.Address });
            var error = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());

            Assert.Contains($"PermissionDenied: workload attestation failed: docker attestor: container {other} not found by the Docker Engine", error.Message, StringComparison.Ordinal);
            Assert.Equal((0, 1), (attestor.Succeeded, attestor.Failed));
        }
    }

    [Fact]
    public async Task Kubernetes_KubeletOnAUnixSocket_FromConfig()
    {
        await using var kubelet = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)> { ["/pods"] = (200, KubeletPods) });
        using var configured = ConfiguredAttestors.Create(
            Config($$"""{ "k8s": { "kubelet_socket_path": "unix://{{kubelet.SocketPath}}" } }""").WorkloadAttestors,
            new ScriptedCgroups(new LinuxProcessTable(), 4242, PodCgroups));

        var selectors = await configured.Attestors.Single().AttestAsync(new WorkloadProcess(4242, 0, 0), CancellationToken.None);

        Assert.Equal(
            ["k8s:container-name:main", "k8s:ns:agents", "k8s:pod-label:app:researcher", "k8s:pod-name:researcher-7c9f", $"k8s:pod-uid:{PodUid}", "k8s:sa:researcher"],
            selectors.Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(["GET /pods"], kubelet.Requests);
    }

    [Fact]
    public async Task Kubernetes_ReadOnlyPort_IsPlainHttpOnLoopback()
    {
        // A port nothing listens on: the attestor's error names what it tried to reach.
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var configured = ConfiguredAttestors.Create(
            Config($$"""{ "k8s": { "kubelet_read_only_port": {{port}} } }""").WorkloadAttestors,
            new ScriptedCgroups(new LinuxProcessTable(), 4242, PodCgroups));

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => configured.Attestors.Single().AttestAsync(new WorkloadProcess(4242, 0, 0), CancellationToken.None));
        Assert.Equal($"k8s attestor: cannot reach the kubelet: Connection refused (127.0.0.1:{port})", error.Message);
    }

    private async Task<(CountingAttestor Attestor, WorkloadEndpoint Endpoint, ConfiguredAttestors Configured)> StartAsync(string callerCgroups)
    {
        var configured = ConfiguredAttestors.Create(Config().WorkloadAttestors, new ScriptedCgroups(new LinuxProcessTable(), Environment.ProcessId, callerCgroups));
        var attestor = new CountingAttestor(configured.Attestors);
        var endpoint = await WorkloadEndpoint.StartAsync(new WorkloadEndpointOptions { SocketPath = _socketPath }, _provider, [attestor]);
        return (attestor, endpoint, configured);
    }

    /// <summary>procfs, except the cgroup file of <paramref name="pid"/>, which names a container.</summary>
    private sealed class ScriptedCgroups(IProcessTable procfs, int pid, string cgroups) : IProcessTable
    {
        public long ReadStartTime(int p) => procfs.ReadStartTime(p);

        public string ReadExecutablePath(int p) => procfs.ReadExecutablePath(p);

        public Stream OpenExecutable(int p) => procfs.OpenExecutable(p);

        public string ReadCgroups(int p) => p == pid ? cgroups : procfs.ReadCgroups(p);
    }
}
