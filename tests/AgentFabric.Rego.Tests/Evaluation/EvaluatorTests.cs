using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

public class EvaluatorTests
{
    private static readonly RegoEngine Engine = new();

    private static string Eval(string module, string query, string? input = null, string? data = null)
    {
        var policy = Engine.Compile([new RegoModuleSource("test.rego", module)], data is null ? null : Value.ParseJson(data));
        var result = Engine.Prepare(policy, query).Evaluate(input is null ? null : Value.ParseJson(input));
        return result.ToJson();
    }

    [Theory]
    [InlineData("package t\np := 1", "data.t.p", "{\"result\":1}")]
    [InlineData("package t\np if false", "data.t.p", "{}")]
    [InlineData("package t\ndefault p := false\np if input.x == 1", "data.t.p", "{\"result\":false}")]
    [InlineData("package t\np contains x if some x in [3, 1, 2]", "data.t.p", "{\"result\":[1,2,3]}")]
    [InlineData("package t\np[k] := v if some k, v in {\"a\": 1, \"b\": 2}", "data.t.p", "{\"result\":{\"a\":1,\"b\":2}}")]
    [InlineData("package t\nf(x) := x + 1\np := f(2)", "data.t.p", "{\"result\":3}")]
    [InlineData("package t\nf(x) := 1 if x > 0\nelse := 0\np := [f(5), f(-5)]", "data.t.p", "{\"result\":[1,0]}")]
    [InlineData("package t\np if every x in [1, 2] { x > 0 }", "data.t.p", "{\"result\":true}")]
    [InlineData("package t\np if not q\nq if false", "data.t.p", "{\"result\":true}")]
    [InlineData("package t\np := y if { y = x; x = 1 }", "data.t.p", "{\"result\":1}")]
    [InlineData("package t\np := {x | some x in [1, 1, 2]}", "data.t.p", "{\"result\":[1,2]}")]
    [InlineData("package t\np := x if x := q with input.u as \"bob\"\nq := input.u", "data.t.p", "{\"result\":\"bob\"}")]
    [InlineData("package t\na.b[c] := 1 if some c in [\"x\", \"y\"]", "data.t.a", "{\"result\":{\"b\":{\"x\":1,\"y\":1}}}")]
    [InlineData("package t\np := $\"n={input.n}\"", "data.t.p", "{\"result\":\"n=3\"}")]
    public void PathQueries(string module, string query, string expected) =>
        Assert.Equal(expected, Eval(module, query, "{\"n\": 3}"));

    [Fact]
    public void GeneralQueryReturnsRowsOfBindings() =>
        Assert.Equal("{\"result\":[{\"x\":1},{\"x\":2}]}", Eval("package t\nxs := [1, 2]", "x := data.t.xs[_]"));

    [Fact]
    public void BaseDataIsMergedWithRules() =>
        Assert.Equal("{\"result\":{\"d\":4,\"p\":2}}", Eval("package t\np := data.t.d / 2", "data.t", data: "{\"t\": {\"d\": 4}}"));

    [Theory]
    [InlineData("package t\np := 1\np := 2", "eval_conflict_error", "complete rules must not produce multiple outputs")]
    [InlineData("package t\nf(_) := 1\nf(_) := 2\np := f(0)", "eval_conflict_error", "functions must not produce multiple outputs for same inputs")]
    [InlineData("package t\np[k] := v if { some v in [1, 2]; k := \"a\" }", "eval_conflict_error", "object keys must be unique")]
    public void ConflictsFailEvaluation(string module, string code, string reason)
    {
        var e = Assert.Throws<RegoEvaluationException>(() => Eval(module, "data.t.p"));
        Assert.Equal(code, e.Code);
        Assert.Equal(reason, e.Reason);
    }

    [Theory]
    [InlineData("package t\np if x > 1", "rego_unsafe_var_error", "var x is unsafe")]
    [InlineData("package t\np := nope(1)", "rego_type_error", "undefined function nope")]
    public void CompileErrors(string module, string code, string reason)
    {
        var e = Assert.Throws<RegoCompileException>(() => Engine.Compile([new RegoModuleSource("test.rego", module)]));
        Assert.Equal(code, e.Code);
        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void BuiltinErrorsAreUndefinedUnlessStrict()
    {
        var policy = Engine.Compile([new RegoModuleSource("test.rego", "package t\np := 1 / input.zero")]);
        var q = Engine.Prepare(policy, "data.t.p");
        var input = Value.ParseJson("{\"zero\": 0}");
        Assert.False(q.Evaluate(input).IsDefined);
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(input, default, new EvaluationSettings { StrictBuiltinErrors = true }));
        Assert.Equal("test.rego:2: eval_builtin_error: div: divide by zero", e.Message);
    }
}
