using AgentFabric.Agent.Attestation;
using AgentFabric.Agent.Identity;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>A real agent endpoint on a Unix socket in a temporary directory, with the real Unix attestor, serving one
/// entry that matches this process by uid.</summary>
internal sealed class BenchAgent : IAsyncDisposable
{
    public const string Id = "spiffe://example.org/bench";

    private readonly string _dir;

    private BenchAgent(string dir, BenchIdentityProvider provider, WorkloadEndpoint endpoint)
    {
        _dir = dir;
        Provider = provider;
        Endpoint = endpoint;
    }

    public BenchIdentityProvider Provider { get; }

    public WorkloadEndpoint Endpoint { get; }

    /// <summary>The selector that matches this process.</summary>
    public static Selector SelfUid { get; } = new("unix", "uid:" + File.ReadLines("/proc/self/status")
        .First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
        .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

    public static RegistrationEntry Entry(TimeSpan? ttl = null) =>
        new("bench", SpiffeId.Parse(Id), [SelfUid]) { X509SvidTtl = (int)(ttl ?? TimeSpan.FromHours(1)).TotalSeconds };

    public static async Task<BenchAgent> StartAsync()
    {
        string dir = Directory.CreateTempSubdirectory("af-bench-").FullName;
        var provider = new BenchIdentityProvider(Entry());
        var endpoint = await WorkloadEndpoint.StartAsync(
            new WorkloadEndpointOptions { SocketPath = Path.Combine(dir, "agent.sock") },
            provider,
            [new UnixWorkloadAttestor()]).ConfigureAwait(false);
        return new BenchAgent(dir, provider, endpoint);
    }

    public WorkloadApiClient NewClient() => new(new WorkloadApiClientOptions { Address = Endpoint.Address });

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_dir, recursive: true);
    }
}
