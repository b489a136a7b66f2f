using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

/// <summary>Numbers keep the text they were written with, as OPA's json.Number does: it is how they print and
/// what OPA's text-based conversions see, while comparison stays by value.</summary>
public class NumberLiteralTextTests
{
    private static readonly RegoEngine Engine = new();

    private static readonly RegoEngine StrictErrors = new(new RegoEngineOptions { StrictBuiltinErrors = true });

    private static Value Eval(string rules, string query = "data.t.x", RegoEngine? engine = null)
    {
        engine ??= Engine;
        var policy = engine.Compile([new RegoModuleSource("t.rego", "package t\n" + rules)]);
        return engine.Prepare(policy, query).Evaluate().Value!;
    }

    [Theory]
    [InlineData("1.0", "1.0", "1")]
    [InlineData("1e3", "1e3", "1000")]
    [InlineData("2e308", "2e308", "2" + "0000000000" + "0000000000" + "0000000000")]
    [InlineData("-1e9", "-1e9", "-1000000000")]
    [InlineData("-0", "-0", "0")]
    [InlineData("1.50", "1.50", "1.5")]
    public void NonCanonicalTextIsKept(string text, string printed, string canonicalPrefix)
    {
        var n = NumberValue.ParseLiteral(text);
        Assert.Equal(printed, n.ToString());
        Assert.Equal(printed, n.LiteralText);
        Assert.StartsWith(canonicalPrefix, n.WithoutLiteralText().ToString(), StringComparison.Ordinal);
        Assert.Null(n.WithoutLiteralText().LiteralText);
        Assert.Equal(NumberValue.Parse(text), n);
        Assert.Equal(NumberValue.Parse(text).GetHashCode(), n.GetHashCode());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-42")]
    [InlineData("1.5")]
    [InlineData("123456789012345678901234567890")]
    public void CanonicalTextIsNotStored(string text)
    {
        var n = NumberValue.ParseLiteral(text);
        Assert.Null(n.LiteralText);
        Assert.Equal(text, n.Text);
    }

    [Fact]
    public void SmallCanonicalLiteralsStayShared() =>
        Assert.Same(NumberValue.Create(7), NumberValue.ParseLiteral("7"));

    [Fact]
    public void ArithmeticResultsArePrintedCanonically()
    {
        Assert.Equal("1000", NumberValue.Add(NumberValue.ParseLiteral("1e3"), NumberValue.Zero).ToString());
        Assert.Equal("2", NumberValue.Multiply(NumberValue.ParseLiteral("1.0"), NumberValue.Create(2)).ToString());
    }

    [Fact]
    public void ComparisonIsByValue()
    {
        Assert.Equal(0, NumberValue.Compare(NumberValue.ParseLiteral("1e3"), NumberValue.Create(1000)));
        Assert.True(NumberValue.ParseLiteral("2e308") > NumberValue.ParseLiteral("1e308"));
        Assert.True(NumberValue.ParseLiteral("-1e9") < NumberValue.Create(-999_999_999));
    }

    [Theory]
    [InlineData("x := 1.0", "1.0")]
    [InlineData("x := [1e3, 2.50, -0]", "[1e3,2.50,-0]")]
    [InlineData("x := 1e3 + 0", "1000")]
    [InlineData("x := {1.0, 1}", "[1.0]")]
    public void PolicyValuesWriteTheirLiteralTextAsJson(string rules, string json) =>
        Assert.Equal(json, Eval(rules).ToJson());

    [Fact]
    public void JsonInputKeepsItsText()
    {
        var v = Value.ParseJson("{\"a\": 1.0, \"b\": 2e308, \"c\": 3}");
        Assert.Equal("{\"a\":1.0,\"b\":2e308,\"c\":3}", v.ToJson());
        Assert.Equal("{\"a\": 1.0, \"b\": 2e308, \"c\": 3}", v.ToString());
    }

    // Go's fmt.Sprintf gets an int only for plain integer text, a float64 for other text that parses as one, and the
    // text itself beyond the float64 range (OPA's builtinSprintf).
    [Theory]
    [InlineData("sprintf(\"hi %v\", [2e308])", "hi 2e308")]
    [InlineData("sprintf(\"%v\", [1e3])", "1000")]
    [InlineData("sprintf(\"%v\", [1e21])", "1e+21")]
    [InlineData("sprintf(\"%v\", [1000000000000000000000])", "1000000000000000000000")]
    [InlineData("sprintf(\"%d\", [1.0])", "%!d(float64=1)")]
    [InlineData("sprintf(\"%d\", [1])", "1")]
    [InlineData("sprintf(\"%v\", [[1.0, 2e308]])", "[1.0, 2e308]")]
    [InlineData("sprintf(\"%v\", [-1e9])", "-1e+09")]
    public void SprintfSeesTheLiteralText(string call, string expected) =>
        Assert.Equal(StringValue.Create(expected), Eval($"x := {call}"));

    [Fact]
    public void IntegerOperandsReadTheTextAsOpaDoes()
    {
        var e = Assert.Throws<RegoEvaluationException>(() => Eval("x := substring(\"abc\", 1.0, 1)", engine: StrictErrors));
        Assert.Equal("t.rego:2: eval_type_error: substring: operand 2 must be integer number but got floating-point number", e.Message);
        Assert.Equal(StringValue.Create("b"), Eval("x := substring(\"abc\", 1, 1)"));
    }

    [Fact]
    public void ToNumberKeepsTheStringsText()
    {
        Assert.Equal("1.0", Eval("x := to_number(\"1.0\")").ToJson());
        Assert.Equal("1e3", Eval("x := to_number(\"+1e3\")").ToJson());
    }

    [Theory]
    [InlineData("x := json.marshal([1.0, 1e3, 2.50, 7])", "[1.0,1e3,2.50,7]")]
    [InlineData("x := json.marshal([1.0 + 0, 0.1 * 3])", "[1,0.30000000000000004]")]
    public void JsonMarshalWritesTheLiteralText(string rules, string expected) =>
        Assert.Equal(StringValue.Create(expected), Eval(rules));
}
