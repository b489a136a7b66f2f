using System.Text.Json;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// Kubernetes workload attestation: the pod UID and container ID come from the caller's cgroups (kernel facts); the
/// kubelet's pod list (<c>GET /pods</c>) describes that pod: <c>k8s:ns</c>, <c>k8s:sa</c>, <c>k8s:pod-name</c>,
/// <c>k8s:pod-uid</c>, <c>k8s:pod-label:key:value</c> and <c>k8s:container-name</c>. A process outside a pod gets no
/// k8s selectors. The kubelet is reached through <paramref name="http"/> (a Unix socket proxy in tests and
/// sidecar setups; the kubelet's authenticated port is configured by the host).
/// </summary>
public sealed class KubernetesWorkloadAttestor(IProcessTable processes, HttpClient http) : IWorkloadAttestor
{
    /// <summary>An attestor that talks to a kubelet API served on a Unix domain socket.</summary>
    public static KubernetesWorkloadAttestor OverUnixSocket(IProcessTable processes, string socketPath) =>
        new(processes, UnixSocketHttp.Create(socketPath, TimeSpan.FromSeconds(5)));

    public string Name => "k8s";

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        string cgroups = processes.ReadCgroups(process.Pid);
        string? podUid = ContainerCgroups.PodUid(cgroups);
        if (podUid is null)
        {
            return [];
        }

        string? containerId = ContainerCgroups.ContainerId(cgroups);
        using var pods = await GetPodsAsync(cancellationToken).ConfigureAwait(false);
        if (!pods.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new WorkloadAttestationException("k8s attestor: the kubelet pod list has no items array");
        }

        foreach (var pod in items.EnumerateArray())
        {
            if (pod.TryGetProperty("metadata", out var metadata) &&
                metadata.TryGetProperty("uid", out var uid) && uid.GetString() == podUid)
            {
                try
                {
                    return Describe(pod, metadata, podUid, containerId);
                }
                catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
                {
                    throw new WorkloadAttestationException($"k8s attestor: pod {podUid} in the kubelet's pod list is malformed", ex);
                }
            }
        }

        // The kubelet may not list a just-started pod yet: the client retries on PermissionDenied.
        throw new WorkloadAttestationException($"k8s attestor: pod {podUid} is not in the kubelet's pod list");
    }

    private static List<Selector> Describe(JsonElement pod, JsonElement metadata, string podUid, string? containerId)
    {
        var selectors = new List<Selector>
        {
            new("k8s", "ns:" + metadata.GetProperty("namespace").GetString()),
            new("k8s", "pod-name:" + metadata.GetProperty("name").GetString()),
            new("k8s", "pod-uid:" + podUid),
        };
        if (pod.TryGetProperty("spec", out var spec) && spec.TryGetProperty("serviceAccountName", out var sa))
        {
            selectors.Add(new("k8s", "sa:" + sa.GetString()));
        }

        if (metadata.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in labels.EnumerateObject())
            {
                selectors.Add(new("k8s", $"pod-label:{label.Name}:{label.Value.GetString()}"));
            }
        }

        if (containerId is not null && pod.TryGetProperty("status", out var status) &&
            status.TryGetProperty("containerStatuses", out var containers) && containers.ValueKind == JsonValueKind.Array)
        {
            foreach (var container in containers.EnumerateArray())
            {
                // containerID is "<runtime>://<id>".
                if (container.TryGetProperty("containerID", out var id) &&
                    id.GetString()?.EndsWith("://" + containerId, StringComparison.Ordinal) == true)
                {
                    selectors.Add(new("k8s", "container-name:" + container.GetProperty("name").GetString()));
                }
            }
        }

        return selectors;
    }

    private async Task<JsonDocument> GetPodsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("pods", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new WorkloadAttestationException($"k8s attestor: the kubelet answered {(int)response.StatusCode} for /pods");
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new WorkloadAttestationException($"k8s attestor: cannot reach the kubelet: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new WorkloadAttestationException("k8s attestor: the kubelet returned invalid JSON for /pods", ex);
        }
    }
}
