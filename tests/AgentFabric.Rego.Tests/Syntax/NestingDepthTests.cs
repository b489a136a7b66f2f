using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Syntax;

/// <summary>Nesting past the parser's bound is a parse error at the first token too deep, not a stack overflow that
/// ends the process; nesting just inside the bound parses, compiles, evaluates and prints.</summary>
public class NestingDepthTests
{
    private static readonly RegoEngine Engine = new();

    [Theory]
    [InlineData(5000, "(", ")", "1", 1006)]
    [InlineData(5000, "[", "]", "1", 1006)]
    [InlineData(1500, "{\"a\":", "}", "1", 5006)]
    [InlineData(1500, "{1 | ", "}", "true", 2506)] // each level is a term and a body
    public void TooDeepIsAParseError(int depth, string open, string close, string inner, int column)
    {
        var source = "package p\nx := " + Repeat(open, depth) + inner + Repeat(close, depth) + "\n";

        var e = Assert.Throws<RegoParseException>(() => RegoEngine.ParseModule("deep.rego", source));

        Assert.Equal("deep.rego:2: rego_parse_error: max parsing recursion depth reached", e.Message);
        Assert.Equal((2, column), (e.Location!.Value.Line, e.Location.Value.Column));
    }

    [Fact]
    public void DeeplyNestedEveryBodiesAreAParseError()
    {
        var source = "package p\nallow if {\n" + Repeat("every x in [1] {\n", 1200) + "true\n" + Repeat("}\n", 1200) + "}\n";

        var e = Assert.Throws<RegoParseException>(() => RegoEngine.ParseModule("every.rego", source));

        Assert.EndsWith("rego_parse_error: max parsing recursion depth reached", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingInsideTheBoundParsesEvaluatesAndPrints()
    {
        const int depth = 900;
        var source = "package p\nx := " + Repeat("[", depth) + "(1)" + Repeat("]", depth) + "\n";
        var query = Engine.Prepare(Engine.Compile([new RegoModuleSource("ok.rego", source)]), "data.p.x");

        var result = query.Evaluate();

        var v = result.Value!;
        for (var i = 0; i < depth; i++)
        {
            v = Assert.Single(((ArrayValue)v).Items.ToArray());
        }

        Assert.Equal(NumberValue.Create(1), v);
        Assert.StartsWith("{\"result\":" + Repeat("[", depth) + "1", result.ToJson(), StringComparison.Ordinal);
    }

    private static string Repeat(string s, int n) => string.Concat(Enumerable.Repeat(s, n));
}
