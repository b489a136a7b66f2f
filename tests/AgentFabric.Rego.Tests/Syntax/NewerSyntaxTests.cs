using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Syntax;

/// <summary>Template strings and key-value membership in the positions OPA accepts them.</summary>
public class NewerSyntaxTests
{
    private static readonly RegoEngine Engine = new();

    private static string Eval(string module, string query = "data.t.p", string input = "{}") =>
        Engine.Prepare(Engine.Compile([new RegoModuleSource("t.rego", module)]), query).Evaluate(Value.ParseJson(input)).ToJson();

    [Theory]
    [InlineData("package t\np := x if x := 1, \"a\" in [\"z\", \"a\"]", """{"result":true}""")]
    [InlineData("package t\np := x if x := 0, \"a\" in [\"z\", \"a\"]", """{"result":false}""")]
    [InlineData("package t\np := x if x = 1, \"foo\" in 1", """{"result":false}""")]
    [InlineData("package t\na := input.a\np := $\"v={a with input as {\"a\": 42}}\"", """{"result":"v=42"}""")]
    [InlineData("package t\np := $\"v={input.a with input.a as 7}/{input.a}\"", """{"result":"v=7/1"}""")]
    [InlineData("package t\np := $`\\{x} {1}`", """{"result":"{x} 1"}""")]
    [InlineData("package t\np := f(\"foo 1\")\nf($\"{x} {input.a}\") := 42 if x = \"foo\"", """{"result":42}""")]
    [InlineData("package t\np := f(\"bar 1\")\nf($\"{x} {input.a}\") := 42 if x = \"foo\"", "{}")]
    public void Evaluates(string module, string expected) =>
        Assert.Equal(expected, Eval(module, input: """{"a": 1}"""));

    [Theory]
    [InlineData("p if input.a > 0 and input.b > 0", """{"a": 1, "b": 1}""", """{"result":true}""")]
    [InlineData("p if input.a > 0 and input.b > 0", """{"a": 1, "b": 0}""", "{}")]
    [InlineData("p if input.a > 0 or input.b > 0", """{"a": 0, "b": 1}""", """{"result":true}""")]
    [InlineData("p if input.a > 0 or input.b > 0", """{"a": 0, "b": 0}""", "{}")]
    [InlineData("p if input.a > 0 or input.b > 0 and input.c > 0", """{"a": 1, "b": 0, "c": 0}""", """{"result":true}""")]
    [InlineData("p if (input.a > 0 or input.b > 0) and input.c > 0", """{"a": 1, "b": 0, "c": 0}""", "{}")]
    [InlineData("p if not input.a or input.b", """{"a": true, "b": true}""", """{"result":true}""")]
    [InlineData("p if not (input.a or input.b)", """{"a": false, "b": false}""", """{"result":true}""")]
    [InlineData("p := [1 | { some n in [1, 2, 3]; n > 0 } or false]", "{}", """{"result":[1]}""")]
    [InlineData("p if { { x := 1; x > 0 } and { x := 2; x > 1 } }", "{}", """{"result":true}""")]
    [InlineData("p if input.a > 0 or input.missing / 0 > 1", """{"a": 1}""", """{"result":true}""")]
    [InlineData("p if input.a > 0 and input.b > 0 with input as {\"a\": 1, \"b\": 1}", "{}", """{"result":true}""")]
    public void ExperimentalLogicOperators(string rule, string input, string expected) =>
        Assert.Equal(expected, Eval($"package t\nimport future.keywords.and\nimport future.keywords.or\n{rule}", input: input));

    [Fact]
    public void LogicOperatorsAreIdentifiersWithoutTheirImport() =>
        Assert.Equal("""{"result":[1,2]}""", Eval("package t\nand := 1\nor := 2\np := [and, or]"));

    [Fact]
    public void TemplateWithModifiersPrintsAsWritten()
    {
        var module = RegoEngine.ParseModule("t.rego", "package t\np := $\"v={a with input as 1}\"");
        Assert.Equal("$\"v={a with input as 1}\"", module.Rules[0].Value!.ToString());
    }
}
