using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary><c>set[x]</c> with x known evaluates the set's rules for that member only; results must equal those of
/// the whole set.</summary>
public class SetMembershipTests
{
    private const string Policy = """
        package m

        valid contains id if {
            data.agents[id].verified == true
        }

        valid contains "spiffe://td/always"

        allow if valid[input.id]

        deny if not valid[input.id]

        both := [valid[input.id], valid == {"a", "spiffe://td/always"}]
        """;

    private const string Data = """{"agents": {"a": {"verified": true}, "b": {"verified": false}}}""";

    private static readonly RegoEngine Engine = new();
    private static readonly CompiledPolicy Compiled = Engine.Compile([new RegoModuleSource("m.rego", Policy)], Value.ParseJson(Data));

    private static string Eval(string query, string input) =>
        Engine.Prepare(Compiled, query).Evaluate(Value.ParseJson(input)).ToJson();

    [Theory]
    [InlineData("data.m.allow", """{"id": "a"}""", """{"result":true}""")]
    [InlineData("data.m.allow", """{"id": "b"}""", "{}")]
    [InlineData("data.m.allow", """{"id": "zed"}""", "{}")]
    [InlineData("data.m.allow", """{"id": "spiffe://td/always"}""", """{"result":true}""")]
    [InlineData("data.m.allow", """{"id": 7}""", "{}")]
    [InlineData("data.m.deny", """{"id": "b"}""", """{"result":true}""")]
    [InlineData("data.m.deny", """{"id": "a"}""", "{}")]
    [InlineData("data.m.both", """{"id": "a"}""", """{"result":["a",true]}""")]
    public void MembershipAgreesWithTheWholeSet(string query, string input, string expected) =>
        Assert.Equal(expected, Eval(query, input));

    [Fact]
    public void RecursionThroughMembershipIsAnError()
    {
        var e = Assert.Throws<RegoCompileException>(() => Engine.Compile([new RegoModuleSource("r.rego", "package r\ns contains x if s[x]")]));
        Assert.Equal(RegoErrorCodes.RecursionError, e.Code);
    }
}
