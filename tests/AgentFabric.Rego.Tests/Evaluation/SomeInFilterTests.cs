using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Equality filters right after <c>some x in xs</c> (their element-independent side evaluated once per loop)
/// and the existence question over a partial set followed only by such filters (members tested unsorted, the set
/// not kept): each case pins the answer the plain evaluation gives.</summary>
public class SomeInFilterTests
{
    private static readonly RegoEngine Engine = new();

    private static string Eval(string module, string input, string query = "data.t.p", Action<string>? print = null) =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)]), query)
            .Evaluate(Value.ParseJson(input), settings: print is null ? null : new EvaluationSettings { Print = print }).ToJson();

    private const string Grants = """{"gs": [{"a": "read", "t": "dog"}, {"a": "update", "t": "cat"}, {"a": "read", "t": 1}], "a": "update", "t": "cat"}""";

    [Theory]
    [InlineData("p if { some g in input.gs; g.a == input.a; g.t == input.t }", """{"result":true}""")]
    [InlineData("p if { some g in input.gs; input.a == g.a; input.t == g.t }", """{"result":true}""")]
    [InlineData("p if { some g in input.gs; g.a == input.a; g.t == \"dog\" }", "{}")]
    [InlineData("p if { some g in input.gs; g.a == input.missing }", "{}")]
    [InlineData("p if { some g in input.gs; g.missing == input.a }", "{}")]
    [InlineData("p if { some g in input.gs; g.a != input.a; g.t == 1.0 }", """{"result":true}""")]
    [InlineData("p if { x := input.t; some g in input.gs; g.t == x }", """{"result":true}""")]
    [InlineData("p contains g.t if { some g in input.gs; g.a == \"read\" }", """{"result":[1,"dog"]}""")]
    [InlineData("p contains i if { some i, g in input.gs; g.a == \"read\" }", """{"result":[0,2]}""")]
    [InlineData("p contains a if { some a in [\"read\", \"x\"]; some g in input.gs; g.a == a }", """{"result":["read"]}""")]
    [InlineData("p := [g.t | some g in input.gs; g.a == input.a]", """{"result":["cat"]}""")]
    public void FiltersOnElementFields(string rule, string expected) =>
        Assert.Equal(expected, Eval("package t\nimport rego.v1\n" + rule, Grants));

    private const string Rbac = """
        package t
        import rego.v1
        default p := false
        granted contains g if {
        	some role in input.roles
        	some g in input.grants[role]
        }
        p if {
        	some g in granted
        	input.a == g.a
        	input.t == g.t
        }
        n := count(granted)
        """;

    [Theory]
    [InlineData("update", "cat", """{"result":true}""")]
    [InlineData("update", "finance", """{"result":true}""")]
    [InlineData("delete", "cat", """{"result":false}""")]
    [InlineData("read", "finance", """{"result":false}""")]
    public void ExistenceOverAPartialSet(string action, string type, string expected)
    {
        var input = $$$"""
            {"roles": ["employee", "billing", "employee"], "a": "{{{action}}}", "t": "{{{type}}}",
             "grants": {"employee": [{"a": "read", "t": "dog"}, {"a": "update", "t": "cat"}],
                        "billing": [{"a": "update", "t": "finance"}, {"a": "update", "t": "cat"}]}}
            """;
        Assert.Equal(expected, Eval(Rbac, input));

        // The set itself (asked afterwards in the same evaluation) is complete and deduplicated.
        Assert.Equal(
            $$$"""{"result":{"allowed":{{{expected[10..^1]}}},"granted":[{"a":"read","t":"dog"},{"a":"update","t":"cat"},{"a":"update","t":"finance"}],"n":3}}""",
            Eval(Rbac + "\nall := {\"allowed\": p, \"granted\": granted, \"n\": n}", input, "data.t.all"));
    }

    [Fact]
    public void ErrorsInThePartialSetStillSurface()
    {
        // The second member raises a conflict after the first already passes the filters: the whole set is
        // evaluated, as when it is computed in full.
        const string module = """
            package t
            import rego.v1
            c := x if { some x in input.cs }
            granted contains g if {
            	some g in input.gs
            	g.n < 2
            }
            granted contains g if {
            	some g in input.gs
            	g.n > 2
            	c == 1
            }
            p if {
            	some g in granted
            	g.a == "read"
            }
            """;
        var e = Assert.Throws<RegoEvaluationException>(() =>
            Eval(module, """{"cs": [1, 2], "gs": [{"a": "read", "n": 1}, {"a": "read", "n": 5}]}"""));
        Assert.Equal("t.rego:3: eval_conflict_error: complete rules must not produce multiple outputs", e.Message);
    }

    [Fact]
    public void PrintInThePartialSetRunsOnce()
    {
        const string module = """
            package t
            import rego.v1
            granted contains g if {
            	some g in input.gs
            	print("member", g)
            }
            p if {
            	some g in granted
            	g == 1
            }
            q if {
            	p
            	count(granted) == 2
            }
            """;
        var lines = new List<string>();
        Assert.Equal("""{"result":true}""", Eval(module, """{"gs": [1, 2]}""", "data.t.q", lines.Add));
        Assert.Equal(["member 1", "member 2"], lines);
    }
}
