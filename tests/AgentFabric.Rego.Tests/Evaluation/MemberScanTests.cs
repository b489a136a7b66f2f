using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Evaluation;

/// <summary><c>x in array</c> and <c>x in object</c> scan the elements (object values); a string is only ever equal
/// to a string with the same characters.</summary>
public class MemberScanTests
{
    private static readonly RegoEngine Engine = new();

    [Theory]
    [InlineData("""x := "b" in ["a", 1, "b"]""", "true")]
    [InlineData("""x := "b" in ["a", 1, "bb", "B"]""", "false")]
    [InlineData("""x := "1" in [1, 1.0, true]""", "false")]
    [InlineData("""x := 1 in ["1", 1]""", "true")]
    [InlineData("""x := 1 in ["1"]""", "false")]
    [InlineData("""x := "" in ["a", ""]""", "true")]
    [InlineData("""x := "v" in {"k": "v"}""", "true")]
    [InlineData("""x := "k" in {"k": "v"}""", "false")]
    [InlineData("""x := "v" in {"k": ["v"]}""", "false")]
    [InlineData("""x := ["v"] in {"k": ["v"]}""", "true")]
    [InlineData("""x := input.u in input.staff""", "true")]
    [InlineData("""x := input.u in input.others""", "false")]
    public void MembershipIsExact(string query, string expected)
    {
        var q = Engine.Prepare(Engine.Compile([new RegoModuleSource("p.rego", "package p\n")]), query);
        var input = Value.ParseJson("""{"u": "user30", "staff": ["user29", "user30"], "others": ["user31", "user3", "USER30"]}""");
        Assert.Equal(expected, q.Evaluate(input).Rows[0]["x"]!.ToJson());
    }
}
