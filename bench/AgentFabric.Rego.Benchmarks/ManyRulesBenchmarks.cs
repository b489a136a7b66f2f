using System.Text;
using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>A policy of 1,000 <c>allow</c> rules, each matching one (method, path) pair of the input: compile time
/// (baseline: parsing alone), and the evaluation of a prepared query (which needs rule indexing on the input's
/// fields to avoid trying every rule) against a hand-written dictionary lookup.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ManyRulesBenchmarks
{
    private const int Rules = 1000;

    private string _source = null!;
    private PreparedQuery _query = null!;
    private Value _input = null!;
    private Dictionary<(string Method, string Path), string> _routes = null!;
    private (string Method, string Path, string Role) _request;

    public static string Generate(int rules)
    {
        var sb = new StringBuilder("package routes\n\nimport rego.v1\n\ndefault allow := false\n");
        for (var i = 0; i < rules; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""

                allow if {
                	input.method == "{{(i % 2 == 0 ? "GET" : "POST")}}"
                	input.path == "/api/v1/resource/{{i}}"
                	input.role == "role-{{i % 10}}"
                }

                """);
        }

        return sb.ToString();
    }

    [GlobalSetup]
    public void Setup()
    {
        _source = Generate(Rules);
        var policy = BenchPolicies.Engine.Compile([new RegoModuleSource("routes.rego", _source)]);
        _query = BenchPolicies.Engine.Prepare(policy, "data.routes.allow");
        _routes = [];
        for (var i = 0; i < Rules; i++)
        {
            _routes[(i % 2 == 0 ? "GET" : "POST", $"/api/v1/resource/{i}")] = $"role-{i % 10}";
        }

        _input = Value.ParseJson("""{"method": "POST", "path": "/api/v1/resource/777", "role": "role-7"}""");
        _request = ("POST", "/api/v1/resource/777", "role-7");
        BenchPolicies.Check(true, _query.Evaluate(_input), "routes");
        BenchPolicies.CheckBaseline(HandWrittenFromValue(), "routes");
    }

    [Benchmark(Baseline = true)]
    public bool HandWritten() => _routes.TryGetValue((_request.Method, _request.Path), out var role) && role == _request.Role;

    /// <summary>The same decision read from the input <see cref="Value"/> the engine receives.</summary>
    [Benchmark]
    public bool HandWrittenFromValue() =>
        _input is ObjectValue input &&
        BenchPolicies.Text(input.Get("method")) is { } method && BenchPolicies.Text(input.Get("path")) is { } path &&
        _routes.TryGetValue((method, path), out var role) && role == BenchPolicies.Text(input.Get("role"));

    [Benchmark]
    public bool Rego() => _query.Evaluate(_input).IsTrue;
}
