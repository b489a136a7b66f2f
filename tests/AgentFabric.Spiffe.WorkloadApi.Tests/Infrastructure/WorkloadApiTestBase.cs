using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>A fresh fake endpoint on a Unix socket per test, with a CA of <c>example.org</c>.</summary>
public abstract class WorkloadApiTestBase : IAsyncLifetime
{
    private WorkloadApiServer? _server;

    internal TestAuthority Ca { get; } = TestAuthority.CreateRoot("example.org");

    internal X509Bundle CaBundle => new(Ca.TrustDomain, [Ca.Certificate]);

    internal WorkloadApiServer Server => _server ?? throw new InvalidOperationException("not started");

    internal FakeWorkloadApi Api => Server.Api;

    public virtual async Task InitializeAsync() => _server = await WorkloadApiServer.StartUnixAsync();

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    internal static WorkloadApiClientOptions FastOptions(string address) => new()
    {
        Address = address,
        InitialBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
    };

    internal WorkloadApiClientOptions FastOptions() => FastOptions(Server.Address);

    internal Task<X509Source> StartSourceAsync() =>
        X509Source.CreateAsync(FastOptions(), cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

    /// <summary>Serves <paramref name="svids"/> with the CA's bundle and waits until the source holds the first.</summary>
    internal async Task PushAndWaitAsync(X509Source source, params X509Svid[] svids)
    {
        Api.SetX509(CaBundle, svids);
        await Eventually.TrueAsync(
            () => source.Current?.DefaultSvid.Leaf.Thumbprint == svids[0].Leaf.Thumbprint,
            $"source holds {svids[0].Id}");
    }
}
