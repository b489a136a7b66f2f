using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>A partial set whose body ends with <c>some x in xs</c> and whose member is <c>x</c> takes every element
/// as a member directly: each case pins the set the plain evaluation gives.</summary>
public class CollectElementsTests
{
    private static readonly RegoEngine Engine = new();

    private const string Input = """{"xs": ["b", "a", "b", 1, 1.0, {"k": 1}], "o": {"p": "x", "q": "y", "r": "x"}, "roles": ["r1", "r2"], "grants": {"r1": ["g1", "g2"], "r2": ["g2", "g3"]}}""";

    private static string Eval(string rules, string input = Input, EvaluationSettings? settings = null) =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", "package t\nimport rego.v1\n" + rules)]), "data.t.s")
            .Evaluate(Value.ParseJson(input), settings: settings).ToJson();

    [Theory]
    [InlineData("s contains x if { some x in input.xs }", """{"result":[1,"a","b",{"k":1}]}""")]
    [InlineData("s contains x if { some x in input.o }", """{"result":["x","y"]}""")]
    [InlineData("s contains x if { some x in {\"m\", \"n\"} }", """{"result":["m","n"]}""")]
    [InlineData("s contains x if { some i, x in input.xs; i > 100 }", """{"result":[]}""")]
    [InlineData("s contains x if { some _, x in input.xs }", """{"result":[1,"a","b",{"k":1}]}""")]
    [InlineData("s contains g if { some r in input.roles; some g in input.grants[r] }", """{"result":["g1","g2","g3"]}""")]
    [InlineData("s contains x if { some x in input.missing }", """{"result":[]}""")]
    [InlineData("s contains x if { some x in \"text\" }", """{"result":[]}""")]
    [InlineData("s contains y if { some x in input.roles; some y in input.grants[x] }\ns contains x if { some x in input.roles }", """{"result":["g1","g2","g3","r1","r2"]}""")]
    public void EveryElementBecomesAMember(string rules, string expected) => Assert.Equal(expected, Eval(rules));

    [Fact]
    public void TheOutputSizeLimitStillHolds()
    {
        var settings = new EvaluationSettings { Limits = EvaluationLimits.Default with { MaxOutputSize = 2 } };
        var e = Assert.Throws<RegoEvaluationException>(() => Eval("s contains g if { some r in input.roles; some g in input.grants[r] }", settings: settings));
        Assert.Contains("output size limit (2)", e.Message, StringComparison.Ordinal);
    }
}
