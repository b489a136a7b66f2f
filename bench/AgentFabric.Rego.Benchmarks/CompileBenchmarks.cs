using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>Compile time of the 1,000-rule policy, against parsing alone.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private string _source = null!;

    [GlobalSetup]
    public void Setup() => _source = ManyRulesBenchmarks.Generate(1000);

    [Benchmark(Baseline = true)]
    public int Parse() => RegoEngine.ParseModule("routes.rego", _source).Rules.Count;

    [Benchmark]
    public int Compile() => BenchPolicies.Engine.Compile([new RegoModuleSource("routes.rego", _source)]).Modules.Count;
}
