using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Literals with one solution run without continuations; these cases pin the semantics they must keep.</summary>
public class DirectEvaluationTests
{
    private static readonly RegoEngine Engine = new();

    private static string Eval(string module, string query = "data.t.p", string input = "{}") =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)]), query).Evaluate(Value.ParseJson(input)).ToJson();

    [Theory]
    [InlineData("package t\np if input.x == 1", """{"result":true}""")]
    [InlineData("package t\np if input.missing == 1", "{}")]
    [InlineData("package t\np if not input.missing", """{"result":true}""")]
    [InlineData("package t\np if input.f", "{}")]
    [InlineData("package t\np := y if { y := input.x; y = 1 }", """{"result":1}""")]
    [InlineData("package t\np := y if { y := input.x; y = 2 }", "{}")]
    [InlineData("package t\np := [input.x, input.missing]", "{}")]
    [InlineData("package t\np := {\"a\": input.x, \"b\": [input.x]}", """{"result":{"a":1,"b":[1]}}""")]
    [InlineData("package t\np := {input.x, 1}", """{"result":[1]}""")]
    [InlineData("package t\np := data.t.q[input.x]\nq := {1: \"one\"}", """{"result":"one"}""")]
    [InlineData("package t\np := data.t.f(input.x)\nf(x) := x + 1", """{"result":2}""")]
    [InlineData("package t\np := [x | some x in [input.x, 2]; x > 1]", """{"result":[2]}""")]
    [InlineData("package t\np := [k | some k, _ in {\"b\": 1, \"a\": 2}]", """{"result":["a","b"]}""")]
    public void SingleValuedLiterals(string module, string expected) =>
        Assert.Equal(expected, Eval(module, input: """{"x": 1, "f": false}"""));

    [Fact]
    public void DuplicateObjectKeysWithDifferentValuesConflict()
    {
        var e = Assert.Throws<RegoEvaluationException>(() => Eval("package t\np := {\"a\": input.x, \"a\": input.y}", input: """{"x": 1, "y": 2}"""));
        Assert.Equal("t.rego:2: eval_conflict_error: object keys must be unique", e.Message);
    }

    [Fact]
    public void ConstantCompositesAreSharedButNotMutated()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\nq := {\"k\": [1, 2]}\np := q.k")]);
        var query = Engine.Prepare(policy, "data.t.p");
        Assert.Equal("[1,2]", query.Evaluate().Value!.ToJson());
        Assert.Same(query.Evaluate().Value, query.Evaluate().Value);
    }

    [Fact]
    public void BuiltinErrorsStayUndefinedUnlessStrict()
    {
        var policy = Engine.Compile([new RegoModuleSource("t.rego", "package t\np := input.x / input.zero")]);
        var query = Engine.Prepare(policy, "data.t.p");
        var input = Value.ParseJson("""{"x": 1, "zero": 0}""");
        Assert.False(query.Evaluate(input).IsDefined);
        var e = Assert.Throws<RegoEvaluationException>(() => query.Evaluate(input, default, new EvaluationSettings { StrictBuiltinErrors = true }));
        Assert.Equal("t.rego:2: eval_builtin_error: div: divide by zero", e.Message);
    }
}
