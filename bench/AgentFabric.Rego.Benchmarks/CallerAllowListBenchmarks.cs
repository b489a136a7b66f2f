using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>Seed 004's caller allow-list: the researcher accepts calls from the frontend.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CallerAllowListBenchmarks
{
    private static readonly Dictionary<string, HashSet<string>> AllowedCallers = new()
    {
        ["spiffe://example.org/ns/agents/sa/researcher"] = ["spiffe://example.org/ns/ui/sa/frontend"],
        ["spiffe://example.org/ns/agents/sa/writer"] = ["spiffe://example.org/ns/agents/sa/researcher"],
    };

    private PreparedQuery _query = null!;
    private Value _input = null!;
    private (string Caller, string Callee) _request;

    [GlobalSetup]
    public void Setup()
    {
        _query = BenchPolicies.Prepare("caller_allowlist.rego", ObjectValue.Empty, "data.agents.authz.allow");
        _input = Value.ParseJson("""
            {"caller": "spiffe://example.org/ns/ui/sa/frontend", "callee": "spiffe://example.org/ns/agents/sa/researcher"}
            """);
        _request = ("spiffe://example.org/ns/ui/sa/frontend", "spiffe://example.org/ns/agents/sa/researcher");
        BenchPolicies.Check(true, _query.Evaluate(_input), "agents.authz");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "agents.authz");
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten() =>
        AllowedCallers.TryGetValue(_request.Callee, out var callers) && callers.Contains(_request.Caller);

    /// <summary>The same decision read from the input <see cref="Value"/> the engine receives.</summary>
    [Benchmark]
    public bool HandWrittenFromValue() =>
        _input is ObjectValue input &&
        BenchPolicies.Text(input.Get("callee")) is { } callee && BenchPolicies.Text(input.Get("caller")) is { } caller &&
        AllowedCallers.TryGetValue(callee, out var callers) && callers.Contains(caller);

    [Benchmark]
    public bool Rego() => _query.Evaluate(_input).IsTrue;
}
