using AgentFabric.PolicyServer.Envoy;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace AgentFabric.PolicyServer.Benchmarks.Envoy;

/// <summary>
/// ext_authz Check over loopback gRPC (one HTTP/2 channel, sequential calls) against the same decision made in process
/// (the baseline), and the in-process cost of OPA-Envoy's input construction plus the decision. OPA-Envoy's published
/// Check median is 176-312 µs. Tail percentiles: <c>envoy-latency N</c>.
/// </summary>
[Config(typeof(EnvoyPercentileConfig))]
[MemoryDiagnoser]
public class EnvoyCheckBenchmarks
{
    private EnvoyBenchServer _server = null!;

    [GlobalSetup]
    public void Setup() => _server = EnvoyBenchServer.StartAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<AgentFabric.Authorization.PolicyDecision> InProcessDecision() => _server.Pdp.DecideAsync(_server.Path, _server.Input);

    [Benchmark]
    public Task<AgentFabric.Authorization.PolicyDecision> InputAndDecision() =>
        _server.Pdp.DecideAsync(_server.Path, EnvoyCheckInput.Build(EnvoyBenchServer.Request, _server.Options));

    [Benchmark]
    public async Task<int> CheckOverGrpc() => (await _server.Client.CheckAsync(EnvoyBenchServer.Request)).Status.Code;
}

/// <summary>Median and tail columns (BenchmarkDotNet has P95 at most; p99 comes from <c>envoy-latency N</c>).</summary>
internal sealed class EnvoyPercentileConfig : ManualConfig
{
    public EnvoyPercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95);
}
