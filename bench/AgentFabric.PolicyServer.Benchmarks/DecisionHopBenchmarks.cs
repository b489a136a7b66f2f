using AgentFabric.Authorization;
using AgentFabric.PolicyServer.Hosting;
using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.PolicyServer.Benchmarks;

/// <summary>The same decision in process (baseline: the embedded PDP over the server's own store) and through the
/// server over loopback HTTP/1.1 keep-alive; the difference of the medians is the hop's cost (goal ≤ 50 µs).</summary>
[MemoryDiagnoser]
public class DecisionHopBenchmarks
{
    private static readonly DecisionPath Path = DecisionPath.Parse("bench/authz/allow");
    private BenchServer _server = null!;
    private EmbeddedPolicyDecisionPoint _embedded = null!;
    private Value _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchServer.StartAsync(new PolicyServerOptions()).GetAwaiter().GetResult();
        _embedded = new EmbeddedPolicyDecisionPoint(_server.Runtime.Activator.Store);
        _input = ((ObjectValue)Value.ParseJson(BenchServer.Input)).Get("input")!;
        if (_server.DecideAsync().GetAwaiter().GetResult() != """{"result":true}""" || !InProcess().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the benchmark decision is not true");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task<bool> InProcess() => (await _embedded.DecideAsync(Path, _input)).IsAllowed;

    [Benchmark]
    public Task<string> OverLoopbackHttp() => _server.DecideAsync();
}
