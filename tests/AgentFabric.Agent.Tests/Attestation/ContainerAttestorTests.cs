using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;

namespace AgentFabric.Agent.Tests.Attestation;

/// <summary>Docker and Kubernetes attestors against recorded Engine/kubelet responses served on a Unix socket.</summary>
public sealed class ContainerAttestorTests
{
    private const string ContainerId = "3f4b8e5d2c1a09f8e7d6c5b4a39281706f5e4d3c2b1a0918273645546372819a";
    private const string PodUid = "7d3c2b1a-0918-4273-8645-546372819a3f";

    // Recorded shape of GET /containers/{id}/json (Docker Engine API v1.43), trimmed to the fields in use.
    private const string DockerInspect = $$$$"""
        {"Id":"{{{{ContainerId}}}}","Created":"2026-11-20T10:00:00Z","Path":"/app/agent","State":{"Status":"running","Pid":4242},
         "Image":"sha256:9a8b7c6d5e4f","Name":"/researcher",
         "Config":{"Hostname":"3f4b8e5d2c1a","Image":"ghcr.io/agentfabric/researcher:1.2.0",
                   "Labels":{"com.example.role":"researcher","team":"ai"}}}
        """;

    // Recorded shape of the kubelet's GET /pods (a v1 PodList), two pods.
    private const string KubeletPods = $$$$"""
        {"kind":"PodList","apiVersion":"v1","items":[
          {"metadata":{"name":"writer-6b9c","namespace":"agents","uid":"11111111-2222-3333-4444-555555555555","labels":{"app":"writer"}},
           "spec":{"serviceAccountName":"writer"},"status":{"containerStatuses":[]}},
          {"metadata":{"name":"researcher-5f7d8","namespace":"agents","uid":"{{{{PodUid}}}}","labels":{"app":"researcher","tier":"backend"}},
           "spec":{"serviceAccountName":"researcher-sa","containers":[{"name":"main"},{"name":"sidecar"}]},
           "status":{"containerStatuses":[
             {"name":"sidecar","containerID":"containerd://0000000000000000000000000000000000000000000000000000000000000000"},
             {"name":"main","containerID":"containerd://{{{{ContainerId}}}}"}]}}]}
        """;

    [Fact]
    public async Task Docker_LabelsAndImageFromEngineApi()
    {
        await using var engine = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>
        {
            [$"/containers/{ContainerId}/json"] = (200, DockerInspect),
        });
        using var attestor = new DockerWorkloadAttestor(new CgroupTable($"0::/system.slice/docker-{ContainerId}.scope\n"), engine.SocketPath);

        var selectors = await attestor.AttestAsync(new WorkloadProcess(4242, 0, 0), CancellationToken.None);

        Assert.Equal(
            ["docker:image_id:ghcr.io/agentfabric/researcher:1.2.0", "docker:label:com.example.role:researcher", "docker:label:team:ai"],
            selectors.Select(s => s.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal([$"GET /containers/{ContainerId}/json"], engine.Requests);
    }

    [Theory]
    [InlineData($"12:memory:/docker/{ContainerId}\n")]
    [InlineData($"0::/system.slice/docker-{ContainerId}.scope\n")]
    [InlineData($"0::/kubepods.slice/kubepods-pod7d3c2b1a_0918_4273_8645_546372819a3f.slice/cri-containerd-{ContainerId}.scope\n")]
    public void ContainerId_FromCgroupLayouts(string cgroups) =>
        Assert.Equal(ContainerId, ContainerCgroups.ContainerId(cgroups));

    [Fact]
    public async Task Docker_ProcessOutsideContainer_NoSelectorsNoCall()
    {
        await using var engine = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>());
        using var attestor = new DockerWorkloadAttestor(new CgroupTable("0::/user.slice/user-0.slice/session-3.scope\n"), engine.SocketPath);

        var selectors = await attestor.AttestAsync(new WorkloadProcess(1, 0, 0), CancellationToken.None);

        Assert.Empty(selectors);
        Assert.Empty(engine.Requests);
    }

    [Fact]
    public async Task Docker_UnknownContainer_Fails()
    {
        await using var engine = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>());
        using var attestor = new DockerWorkloadAttestor(new CgroupTable($"0::/docker/{ContainerId}\n"), engine.SocketPath);

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(1, 0, 0), CancellationToken.None));

        Assert.Equal($"docker attestor: container {ContainerId} not found by the Docker Engine", error.Message);
    }

    [Fact]
    public async Task Docker_EngineUnreachable_Fails()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-docker-" + Guid.NewGuid().ToString("N") + ".sock");
        using var attestor = new DockerWorkloadAttestor(new CgroupTable($"0::/docker/{ContainerId}\n"), missing);

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(1, 0, 0), CancellationToken.None));

        Assert.StartsWith($"docker attestor: cannot reach the Docker Engine API at {missing}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_PodSelectorsFromKubelet()
    {
        await using var kubelet = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)> { ["/pods"] = (200, KubeletPods) });
        var cgroups = $"0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod7d3c2b1a_0918_4273_8645_546372819a3f.slice/cri-containerd-{ContainerId}.scope\n";
        var attestor = KubernetesWorkloadAttestor.OverUnixSocket(new CgroupTable(cgroups), kubelet.SocketPath);

        var selectors = await attestor.AttestAsync(new WorkloadProcess(4242, 0, 0), CancellationToken.None);

        Assert.Equal(
            [
                "k8s:container-name:main",
                "k8s:ns:agents",
                "k8s:pod-label:app:researcher",
                "k8s:pod-label:tier:backend",
                "k8s:pod-name:researcher-5f7d8",
                $"k8s:pod-uid:{PodUid}",
                "k8s:sa:researcher-sa",
            ],
            selectors.Select(s => s.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Kubernetes_PodNotListed_Fails()
    {
        await using var kubelet = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>
        {
            ["/pods"] = (200, """{"kind":"PodList","items":[]}"""),
        });
        var attestor = KubernetesWorkloadAttestor.OverUnixSocket(
            new CgroupTable($"0::/kubepods/besteffort/pod{PodUid}/{ContainerId}\n"), kubelet.SocketPath);

        var error = await Assert.ThrowsAsync<WorkloadAttestationException>(
            () => attestor.AttestAsync(new WorkloadProcess(1, 0, 0), CancellationToken.None));

        Assert.Equal($"k8s attestor: pod {PodUid} is not in the kubelet's pod list", error.Message);
    }

    [Fact]
    public async Task Kubernetes_ProcessOutsidePod_NoSelectors()
    {
        await using var kubelet = await RecordedApiServer.StartAsync(new Dictionary<string, (int, string)>());
        var attestor = KubernetesWorkloadAttestor.OverUnixSocket(new CgroupTable($"0::/docker/{ContainerId}\n"), kubelet.SocketPath);

        Assert.Empty(await attestor.AttestAsync(new WorkloadProcess(1, 0, 0), CancellationToken.None));
        Assert.Empty(kubelet.Requests);
    }

    /// <summary>The kernel's cgroup file for the caller, scripted.</summary>
    private sealed class CgroupTable(string cgroups) : IProcessTable
    {
        public long ReadStartTime(int pid) => 1;

        public string ReadExecutablePath(int pid) => "/app/agent";

        public Stream OpenExecutable(int pid) => Stream.Null;

        public string ReadCgroups(int pid) => cgroups;
    }
}
