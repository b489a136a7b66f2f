using AgentFabric.Spiffe.WorkloadApi;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// One X.509-SVID fetch over the agent's Unix socket from a warm cache (header check, SO_PEERCRED, Unix attestation
/// with the executable digest, entry match, marshal, client parse and checks) against FetchX509Bundles on the same
/// connection (the same transport and attestation, no SVID): the ratio is the SVID's own cost. Goal (issue 4): median
/// fetch at most 300 µs. The client reuses what it parsed for byte-identical responses (the default);
/// <see cref="FetchX509Svid_ParseEveryResponse"/> shows the fetch with a full parse on the client. Percentiles: P50/P95 columns here, p99 from <c>--latency N</c>.
/// </summary>
[Config(typeof(PercentileConfig))]
[MemoryDiagnoser]
public class X509FetchBenchmarks
{
    private BenchAgent _agent = null!;
    private WorkloadApiClient _client = null!;
    private WorkloadApiClient _parsingClient = null!;

    [GlobalSetup]
    public void Setup()
    {
        _agent = BenchAgent.StartAsync().GetAwaiter().GetResult();
        _client = _agent.NewClient();
        _parsingClient = new WorkloadApiClient(new WorkloadApiClientOptions { Address = _agent.Endpoint.Address, ReuseParsedResponses = false });
        _parsingClient.FetchX509ContextAsync().GetAwaiter().GetResult();
        var context = _client.FetchX509ContextAsync().GetAwaiter().GetResult();
        if (context.DefaultSvid.Id.ToString() != BenchAgent.Id ||
            _client.FetchX509BundlesAsync().GetAwaiter().GetResult().Count != 1)
        {
            throw new InvalidOperationException($"bad setup: {context.DefaultSvid.Id}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _parsingClient.Dispose();
        _agent.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<Spiffe.Bundles.X509.X509BundleSet> FetchX509Bundles() => _client.FetchX509BundlesAsync();

    [Benchmark]
    public Task<X509Context> FetchX509Svid() => _client.FetchX509ContextAsync();

    /// <summary>The same fetch with a client that parses every response anew (certificates, PKCS#8 key, key check):
    /// what a fetch costs a client seeing an SVID for the first time.</summary>
    [Benchmark]
    public Task<X509Context> FetchX509Svid_ParseEveryResponse() => _parsingClient.FetchX509ContextAsync();
}

/// <summary>Median and tail columns (BenchmarkDotNet has P95 at most; p99 comes from <c>--latency N</c>).</summary>
internal sealed class PercentileConfig : ManualConfig
{
    public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P90, StatisticColumn.P95);
}
