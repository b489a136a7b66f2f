using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary>Rules guarded on the same input field reuse the field's last looked-up value, only for the same input:
/// another evaluation or a <c>with input</c> looks it up again.</summary>
public class GuardValueTests
{
    private const string Kinds = """
        package g

        kinds contains "s" if input.t == "service"

        kinds contains "a" if input.t == "agent"

        kinds contains "n" if input.u.t == "agent"

        kinds contains "a2" if input.t == "agent"

        pair := [k1, k2] if {
        	k1 := kinds with input as {"t": "agent", "u": {"t": "agent"}}
        	k2 := kinds
        }
        """;

    private static readonly RegoEngine Engine = new();

    private static readonly CompiledPolicy Policy = Engine.Compile([new RegoModuleSource("g.rego", Kinds)]);

    [Theory]
    [InlineData("""{"t": "service"}""", """["s"]""")]
    [InlineData("""{"t": "agent"}""", """["a","a2"]""")]
    [InlineData("""{"t": "agent", "u": {"t": "agent"}}""", """["a","a2","n"]""")]
    [InlineData("""{"t": "service", "u": {"t": "agent"}}""", """["n","s"]""")]
    [InlineData("""{"u": {"t": "service"}}""", "[]")]
    public void EachRuleSeesItsOwnFieldsValue(string input, string expected)
    {
        var q = Engine.Prepare(Policy, "data.g.kinds");
        Assert.Equal(expected, q.Evaluate(Value.ParseJson(input)).Value!.ToJson());
    }

    [Fact]
    public void ConsecutiveEvaluationsWithOtherInputsLookTheFieldUpAgain()
    {
        var q = Engine.Prepare(Policy, "data.g.kinds");
        var service = Value.ParseJson("""{"t": "service"}""");
        Assert.Equal("""["s"]""", q.Evaluate(service).Value!.ToJson());
        Assert.Equal("""["a","a2"]""", q.Evaluate(Value.ParseJson("""{"t": "agent"}""")).Value!.ToJson());
        Assert.Equal("""["s"]""", q.Evaluate(service).Value!.ToJson());
        Assert.Equal("[]", q.Evaluate().Value!.ToJson());
    }

    [Fact]
    public void WithInputLooksTheFieldUpAgainInsideAndAfter()
    {
        var q = Engine.Prepare(Policy, "data.g.pair");
        Assert.Equal("""[["a","a2","n"],["s"]]""", q.Evaluate(Value.ParseJson("""{"t": "service"}""")).Value!.ToJson());
    }
}
