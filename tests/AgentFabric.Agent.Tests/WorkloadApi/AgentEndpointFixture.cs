using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Tests.WorkloadApi;

/// <summary>A running agent endpoint (real Kestrel on a Unix socket, real Unix attestor) per test.</summary>
public abstract class AgentEndpointTestBase : IAsyncLifetime
{
    private WorkloadEndpoint? _endpoint;

    internal LocalCaIdentityProvider Provider { get; } = new();

    internal WorkloadEndpoint Endpoint => _endpoint ?? throw new InvalidOperationException("not started");

    internal virtual WorkloadEndpointOptions Options(string socketPath) => new()
    {
        SocketPath = socketPath,
        RotationCheckInterval = TimeSpan.FromMilliseconds(100),
    };

    public async Task InitializeAsync() =>
        _endpoint = await WorkloadEndpoint.StartAsync(
            Options(SelfProcess.NewSocketPath()),
            Provider,
            [new UnixWorkloadAttestor()]);

    public async Task DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
            Directory.Delete(Path.GetDirectoryName(_endpoint.SocketPath)!, recursive: true);
        }

        Provider.Dispose();
    }

    internal WorkloadApiClientOptions ClientOptions() => new()
    {
        Address = Endpoint.Address,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };
}
