using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace AgentFabric.Edge.Benchmarks;

/// <summary>
/// Requests to one edge over loopback HTTP/1.1 keep-alive, one at a time: an RFC 8693 token exchange (client assertion
/// and actor token verified against the trust bundle, subject token verified, the Rego decision, the act chain, an ES256
/// signature, the decision-log event), a client-credentials grant to the same token endpoint (OpenIddict's own path),
/// and the baseline, a POST of a form of the same size to an endpoint that does nothing. The ratio column is the cost
/// over the HTTP floor; exchanges/s is 1 s / Mean. P50/P95 are over iteration means; <c>latency N</c> gives per-request
/// p50/p99.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class TokenExchangeBenchmarks
{
    private BenchEdge _edge = null!;

    [GlobalSetup]
    public void Setup()
    {
        _edge = BenchEdge.StartAsync(exchanges: 20_000).GetAwaiter().GetResult();
        // Fail before measuring if any request is refused.
        _ = BenchEdge.AccessToken(_edge.ExchangeAsync().GetAwaiter().GetResult());
        _ = _edge.NothingAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _edge.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<string> PostToAnEndpointDoingNothing() => _edge.NothingAsync();

    [Benchmark]
    public Task<string> ClientCredentialsGrant() => _edge.ClientCredentialsAsync();

    [Benchmark]
    public Task<string> TokenExchangeWithPolicyDecision() => _edge.ExchangeAsync();
}

/// <summary>Median and 95th percentile columns (BenchmarkDotNet has no P99 column; see <c>latency N</c>).</summary>
internal sealed class PercentileConfig : ManualConfig
{
    public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.OperationsPerSecond);
}
