using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Complete rules that all give the same constant (several <c>allow if</c>) stop at the first success;
/// any other rule set is still evaluated in full, so conflicts are found as before. (The rules here have no input
/// guards, which would skip a rule before its print.)</summary>
public class EarlyExitTests
{
    private const string Allow = """
        package a

        default allow := false

        allow if {
        	print("r1")
        	input.kind in {"service"}
        }

        allow if {
        	print("r2")
        	input.id in {"x", "y"}
        }

        allow if {
        	print("r3")
        	input.admin in {true}
        }
        """;

    [Theory]
    [InlineData("""{"kind": "service", "id": "x", "admin": true}""", "true", "r1")]
    [InlineData("""{"kind": "agent", "id": "y", "admin": true}""", "true", "r1,r2")]
    [InlineData("""{"kind": "agent", "id": "z", "admin": true}""", "true", "r1,r2,r3")]
    [InlineData("""{"kind": "agent", "id": "z", "admin": false}""", "false", "r1,r2,r3")]
    [InlineData("""{}""", "false", "r1,r2,r3")]
    public void TheFirstSucceedingRuleDecides(string input, string expected, string evaluated)
    {
        var lines = new List<string>();
        var engine = new RegoEngine(new RegoEngineOptions { Print = lines.Add });
        var q = engine.Prepare(engine.Compile([new RegoModuleSource("a.rego", Allow)]), "data.a.allow");
        Assert.Equal(expected, q.Evaluate(Value.ParseJson(input)).Value!.ToJson());
        Assert.Equal(evaluated, string.Join(',', lines.Select(l => l[(l.LastIndexOf(' ') + 1)..])));
    }

    [Fact]
    public void DifferentConstantsStillConflict()
    {
        var engine = new RegoEngine();
        var q = engine.Prepare(engine.Compile([new RegoModuleSource("c.rego", "package c\n\nv := 1 if input.a\n\nv := 2 if input.b\n")]), "data.c.v");
        Assert.Equal("1", q.Evaluate(Value.ParseJson("""{"a": true}""")).Value!.ToJson());
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(Value.ParseJson("""{"a": true, "b": true}""")));
        Assert.Equal("c.rego:5: eval_conflict_error: complete rules must not produce multiple outputs", e.Message);
    }

    [Fact]
    public void AValueFromTheBodyStillConflicts()
    {
        var engine = new RegoEngine();
        var q = engine.Prepare(engine.Compile([new RegoModuleSource("c.rego", "package c\n\nv := 1 if input.a\n\nv := input.n if input.b\n")]), "data.c.v");
        Assert.Equal("1", q.Evaluate(Value.ParseJson("""{"a": true, "b": true, "n": 1}""")).Value!.ToJson());
        var e = Assert.Throws<RegoEvaluationException>(() => q.Evaluate(Value.ParseJson("""{"a": true, "b": true, "n": 2}""")));
        Assert.Equal("c.rego:5: eval_conflict_error: complete rules must not produce multiple outputs", e.Message);
    }
}
