using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

public class LimitTests
{
    // Enumerates 10^9 combinations: must be stopped by a limit, never run to completion.
    private const string Runaway = "package t\np := count([1 | some a in data.xs; some b in data.xs; some c in data.xs])";

    private static PreparedQuery Prepare(RegoEngine engine)
    {
        var xs = ArrayValue.CreateRange(Enumerable.Range(0, 1000).Select(i => (Value)NumberValue.Create(i)));
        var policy = engine.Compile([new RegoModuleSource("t.rego", Runaway.Replace("count(", "sum_of(", StringComparison.Ordinal) + "\nsum_of(x) := 0")],
            ObjectValue.Create(("xs", xs)));
        return engine.Prepare(policy, "data.t.p");
    }

    [Fact]
    public void StepLimitStopsRunawayEnumeration()
    {
        var q = Prepare(new RegoEngine(new RegoEngineOptions { Limits = new EvaluationLimits { MaxSteps = 100_000, MaxOutputSize = int.MaxValue } }));
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate());
        Assert.Equal(RegoErrorCodes.CancelError, e.Code);
        Assert.Equal("evaluation exceeded the step limit (100000)", e.Reason);
    }

    [Fact]
    public void TimeLimitStopsRunawayEnumeration()
    {
        var limits = new EvaluationLimits { MaxSteps = long.MaxValue, Timeout = TimeSpan.FromMilliseconds(200), MaxOutputSize = int.MaxValue };
        var q = Prepare(new RegoEngine(new RegoEngineOptions { Limits = limits }));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate());
        Assert.Equal(RegoErrorCodes.CancelError, e.Code);
        Assert.StartsWith("evaluation exceeded the time limit", e.Reason, StringComparison.Ordinal);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void OutputLimitStopsHugeComprehension()
    {
        var limits = new EvaluationLimits { MaxOutputSize = 10_000 };
        var q = Prepare(new RegoEngine(new RegoEngineOptions { Limits = limits }));
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate());
        Assert.Equal("evaluation exceeded the output size limit (10000)", e.Reason);
    }

    [Fact]
    public void CancellationStopsEvaluation()
    {
        var q = Prepare(new RegoEngine(new RegoEngineOptions { Limits = EvaluationLimits.None }));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(null, cts.Token));
        Assert.Equal("caller cancelled query execution", e.Reason);
    }

    [Fact]
    public void RecursionIsReportedAtCompileTime()
    {
        var engine = new RegoEngine();
        var e = Assert.Throws<RegoCompileException>(() => engine.Compile([new RegoModuleSource("t.rego", "package t\np := q\nq := p")]));
        Assert.Equal(RegoErrorCodes.RecursionError, e.Code);
        Assert.Equal("t.rego:2: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p", e.Message);
    }
}
