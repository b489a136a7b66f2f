using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests;

/// <summary>The engine's contract: prepared queries report expressions, every evaluation honours its own settings,
/// cancellation and limits, and <c>http.send</c> fails loudly.</summary>
public class EngineApiTests
{
    private static readonly RegoEngine Engine = new();

    [Fact]
    public void PreparedExpressionsReportValueTextAndLocation()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\nxs := [1, 2]")]);
        var query = Engine.PrepareExpressions(policy, "some x in data.t.xs\nx > 1; not x == 3");

        Assert.Equal(
            ["some x in data.t.xs@1:1", "x > 1@2:1", "not x == 3@2:8"],
            query.Expressions.Select(e => $"{e.Text}@{e.Location.Line}:{e.Location.Column}"));
        var row = Assert.Single(query.Evaluate().Rows);
        Assert.Equal([BooleanValue.True, BooleanValue.True, BooleanValue.True], row.ExpressionValues);
        Assert.Equal(NumberValue.Create(2), row["x"]);
    }

    [Fact]
    public void TermExpressionsReportTheirOwnValue()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\nname := \"ann\"")]);
        var query = Engine.PrepareExpressions(policy, "data.t.name");
        Assert.Equal(StringValue.Create("ann"), Assert.Single(Assert.Single(query.Evaluate().Rows).ExpressionValues));
        Assert.Empty(Engine.Prepare(policy, "data.t.name").Evaluate().Rows[0].ExpressionValues);
    }

    [Fact]
    public void PerEvaluationLimitsOverrideTheEngine()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\np := [x | some x in numbers]\nnumbers := [1, 2, 3, 4, 5]")]);
        var query = Engine.Prepare(policy, "data.t.p");
        Assert.Equal("[1,2,3,4,5]", query.Evaluate().Value!.ToJson());
        var e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(null, default, new EvaluationSettings { Limits = new EvaluationLimits { MaxOutputSize = 3 } }));
        Assert.Equal("t.rego:2: eval_cancel_error: evaluation exceeded the output size limit (3)", e.Message);
        e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(null, default, new EvaluationSettings { Limits = new EvaluationLimits { MaxSteps = 4 } }));
        Assert.Equal("eval_cancel_error: evaluation exceeded the step limit (4)", e.Message);
    }

    [Fact]
    public async Task CancellationDuringEvaluationStopsIt()
    {
        var xs = ArrayValue.CreateRange(Enumerable.Range(0, 2000).Select(i => (Value)NumberValue.Create(i)));
        var policy = Engine.Compile(
            [new RegoModuleSource("t.rego", "package t\np := [1 | some a in data.xs; some b in data.xs; some c in data.xs]")],
            ObjectValue.Create(("xs", xs)));
        var query = Engine.Prepare(policy, "data.t.p");
        using var cts = new CancellationTokenSource();
        var unlimited = new EvaluationSettings { Limits = EvaluationLimits.None };
        var run = Task.Run(() => query.Evaluate(null, cts.Token, unlimited));
        await Task.Delay(100);
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<RegoEvaluationException>(() => run);
        Assert.Equal("eval_cancel_error: caller cancelled query execution", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HttpSendFailsTheDecisionWithAClearError(bool strict)
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\nallow if http.send({\"method\": \"GET\", \"url\": \"https://example.com\"}).status_code == 200")]);
        var query = Engine.Prepare(policy, "data.t.allow");
        var e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(null, default, new EvaluationSettings { StrictBuiltinErrors = strict }));
        Assert.Equal("t.rego:2: eval_builtin_error: http.send: http.send is not supported by this engine (outbound HTTP from policy is disabled)", e.Message);
    }

    [Fact]
    public void HttpSendCanBeMockedWithWith()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", """
            package t
            allow if http.send({"method": "GET", "url": "https://example.com"}).status_code == 200
            test_allow if allow with http.send as {"status_code": 200}
            """)]);
        Assert.True(Engine.Prepare(policy, "data.t.test_allow").Evaluate().IsTrue);
    }
}
