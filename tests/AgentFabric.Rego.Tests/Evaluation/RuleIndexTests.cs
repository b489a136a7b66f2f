using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Rules guarded by equality with input fields are indexed and skipped without changing any result.</summary>
public class RuleIndexTests
{
    private static readonly RegoEngine Engine = new();

    // 40 rules on (method, path), one rule without a guard on method, one default.
    private static readonly string Routes = string.Concat(
        "package routes\n\ndefault allow := false\n",
        string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"\nallow if {{\n\tinput.method == \"{(i % 2 == 0 ? "GET" : "POST")}\"\n\tinput.path = \"/r/{i}\"\n}}\n")),
        "\nallow if input.admin == true\n");

    private static readonly PreparedQuery Allow = Engine.Prepare(Engine.Compile([new RegoModuleSource("routes.rego", Routes)]), "data.routes.allow");

    [Theory]
    [InlineData("""{"method": "GET", "path": "/r/0"}""", "true")]
    [InlineData("""{"method": "POST", "path": "/r/39"}""", "true")]
    [InlineData("""{"method": "GET", "path": "/r/39"}""", "false")]
    [InlineData("""{"method": "DELETE", "path": "/r/1"}""", "false")]
    [InlineData("""{"path": "/r/1"}""", "false")]
    [InlineData("""{"method": "PUT", "admin": true}""", "true")]
    [InlineData("""{"method": ["GET"], "path": "/r/0"}""", "false")]
    [InlineData("""[]""", "false")]
    public void IndexedRulesDecideAsWithoutAnIndex(string input, string expected) =>
        Assert.Equal(expected, Allow.Evaluate(Value.ParseJson(input)).Value!.ToJson());

    [Fact]
    public void NoInputLeavesOnlyTheDefault() =>
        Assert.Equal(BooleanValue.False, Allow.Evaluate().Value);

    [Fact]
    public void NumbersMatchByValue()
    {
        var rules = string.Concat(Enumerable.Range(0, 10).Select(i => $"\nlevel := \"l{i}\" if input.n == {i}\n"));
        var q = Engine.Prepare(Engine.Compile([new RegoModuleSource("n.rego", "package n\n" + rules)]), "data.n.level");
        Assert.Equal(StringValue.Create("l3"), q.Evaluate(Value.ParseJson("""{"n": 3.0}""")).Value);
    }

    [Fact]
    public void ConflictsBetweenIndexedRulesAreStillFound()
    {
        var rules = string.Concat(Enumerable.Range(0, 10).Select(i => $"\nv := {i} if input.k == \"k{i % 5}\"\n"));
        var q = Engine.Prepare(Engine.Compile([new RegoModuleSource("c.rego", "package c\n" + rules)]), "data.c.v");
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(Value.ParseJson("""{"k": "k2"}""")));
        Assert.Equal("c.rego:17: eval_conflict_error: complete rules must not produce multiple outputs", e.Message);
    }

    [Fact]
    public void WithOnInputChoosesTheRulesAgain()
    {
        var policy = Engine.Compile([new RegoModuleSource("routes.rego", Routes + "\ncheck := [allow, a2] if a2 := allow with input as {\"method\": \"POST\", \"path\": \"/r/1\"}\n")]);
        var q = Engine.Prepare(policy, "data.routes.check");
        Assert.Equal("[false,true]", q.Evaluate(Value.ParseJson("""{"method": "GET", "path": "/r/1"}""")).Value!.ToJson());
    }

    [Fact]
    public void ElseChainsAreNotSkippedByTheirGuards()
    {
        var rules = string.Concat(Enumerable.Range(0, 10).Select(i => $"\nr{i} := 1 if input.x == {i}\nelse := 2\n"));
        var row = Engine.Prepare(Engine.Compile([new RegoModuleSource("e.rego", "package e\n" + rules)]), "x := [data.e.r0, data.e.r1]").Evaluate(Value.ParseJson("""{"x": 0}"""));
        Assert.Equal("[1,2]", row.Rows[0]["x"]!.ToJson());
    }
}
