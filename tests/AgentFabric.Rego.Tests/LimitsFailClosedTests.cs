using AgentFabric.Testing;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests;

/// <summary>A limit reached inside a builtin ends the evaluation with an error the caller sees, with or without
/// strict builtin errors: it never reads as an undefined call, where <c>not deny</c> would allow.</summary>
public class LimitsFailClosedTests
{
    private static readonly RegoEngine Engine = new();

    private const string DenyUnlessSmall = """
        package t

        allow if not deny

        deny if count(numbers.range(0, input.n)) > 10
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARangeOverTheLimitIsAnErrorNotAnAllow(bool strict)
    {
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", DenyUnlessSmall)]), "data.t.allow");

        var e = Assert.Throws<RegoEvaluationException>(() =>
            query.Evaluate(Value.ParseJson("""{"n": 5000000}"""), default, new EvaluationSettings { StrictBuiltinErrors = strict }));

        Assert.Equal("t.rego:5: eval_builtin_error: numbers.range: range of 5000001 numbers exceeds the limit of 4194304", e.Message);
        Assert.Equal(BooleanValue.True, query.Evaluate(Value.ParseJson("""{"n": 5}""")).Value);
    }

    [Fact]
    public void AYamlDocumentTooDeepIsAnErrorNotAnUndefinedCall()
    {
        const string policy = """
            package t

            allow if not deny

            deny if yaml.unmarshal(input.doc).admin == false
            """;
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", policy)]), "data.t.allow");
        var doc = new ObjectValue.Builder();
        doc.Set("doc", StringValue.Create(new string('[', 40_000)));

        var e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(doc.ToValue()));

        Assert.Equal("t.rego:5: eval_builtin_error: yaml.unmarshal: yaml: exceeded max depth of 1024", e.Message);
    }

    // Twenty builtin calls in well under 64 steps: each reads a clock that moves a second per reading, so the time
    // limit (5 s) must be reached between calls. Before, the clock was read only every 1,024 steps.
    [Fact]
    public void TheTimeLimitCoversBuiltinCalls()
    {
        const string policy = """
            package t

            shout := [upper(s) | some s in input.words]
            """;
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", policy)]), "data.t.shout");
        var input = Value.ParseJson($$"""{"words": [{{string.Join(',', Enumerable.Range(0, 20).Select(i => $"\"w{i}\""))}}]}""");

        var e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(input, default, new EvaluationSettings
        {
            TimeProvider = TestTime.Stepping(TimeSpan.FromSeconds(1)),
            Limits = new EvaluationLimits { Timeout = TimeSpan.FromSeconds(5) },
        }));

        Assert.Equal("eval_cancel_error: evaluation exceeded the time limit (00:00:05)", e.Message);
        Assert.Equal(20, ((ArrayValue)query.Evaluate(input).Value!).Count);
    }
}
