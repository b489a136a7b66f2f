using AgentFabric.Rego.Values;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Rego.Benchmarks;

/// <summary>The number hot paths the evaluator leans on (add, compare, equality), on a canonical number and on one
/// that keeps its literal text (<c>1e3</c>), against adding two longs.</summary>
[ShortRunJob]
[MemoryDiagnoser]
public class NumberValueBenchmarks
{
    private readonly NumberValue _a = NumberValue.Create(1000);
    private readonly NumberValue _b = NumberValue.Create(24);
    private readonly NumberValue _literal = NumberValue.ParseLiteral("1e3");
    private readonly NumberValue _half = NumberValue.Create(0.5);
    private long _x = 1000;
    private long _y = 24;

    [Benchmark(Baseline = true)]
    public long LongAdd() => _x + _y;

    [Benchmark]
    public NumberValue AddSmall() => NumberValue.Add(_b, _b);

    [Benchmark]
    public int CompareIntegers() => NumberValue.Compare(_a, _b);

    [Benchmark]
    public int CompareIntegerWithDouble() => NumberValue.Compare(_a, _half);

    [Benchmark]
    public bool EqualsLiteralAndCanonical() => _literal.Equals(_a);

    [Benchmark]
    public int HashLiteral() => _literal.GetHashCode();
}
