using System.Net;
using System.Text.Json;
using AgentFabric.Agent.Identity;

namespace AgentFabric.Agent.Attestation;

/// <summary>
/// Docker workload attestation: the container is found from the caller's cgroups (kernel facts), then described by
/// the Docker Engine API on its Unix socket (<c>GET /containers/{id}/json</c>): <c>docker:label:key:value</c> for each
/// label and <c>docker:image_id:</c> the image the container was created from. A process outside a container gets
/// no docker selectors.
/// </summary>
public sealed class DockerWorkloadAttestor(IProcessTable processes, string dockerSocketPath = "/var/run/docker.sock")
    : IWorkloadAttestor, IDisposable
{
    private readonly HttpClient _http = UnixSocketHttp.Create(dockerSocketPath, TimeSpan.FromSeconds(5));

    public string Name => "docker";

    public async Task<IReadOnlyList<Selector>> AttestAsync(WorkloadProcess process, CancellationToken cancellationToken)
    {
        string? containerId = ContainerCgroups.ContainerId(processes.ReadCgroups(process.Pid));
        if (containerId is null)
        {
            return [];
        }

        using var document = await GetJsonAsync($"containers/{containerId}/json", containerId, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var selectors = new List<Selector>();
        if (root.TryGetProperty("Config", out var config) && config.ValueKind == JsonValueKind.Object)
        {
            if (config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in labels.EnumerateObject())
                {
                    selectors.Add(new Selector("docker", $"label:{label.Name}:{label.Value.GetString()}"));
                }
            }

            if (config.TryGetProperty("Image", out var image) && image.GetString() is { Length: > 0 } imageName)
            {
                selectors.Add(new Selector("docker", "image_id:" + imageName));
            }
        }

        return selectors;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> GetJsonAsync(string path, string containerId, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new WorkloadAttestationException($"docker attestor: cannot reach the Docker Engine API at {dockerSocketPath}: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new WorkloadAttestationException($"docker attestor: container {containerId} not found by the Docker Engine");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new WorkloadAttestationException(
                    $"docker attestor: the Docker Engine answered {(int)response.StatusCode} for container {containerId}");
            }

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new WorkloadAttestationException($"docker attestor: the Docker Engine returned invalid JSON for container {containerId}", ex);
            }
        }
    }
}
