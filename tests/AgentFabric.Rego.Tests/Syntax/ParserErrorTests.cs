using AgentFabric.Rego.Ast;

namespace AgentFabric.Rego.Tests.Syntax;

public class ParserErrorTests
{
    [Theory]
    [InlineData("p := 1", "package expected", 1, 1)]
    [InlineData("", "empty module", 1, 1)]
    [InlineData("package a\n\np {\n  true\n}", "`if` keyword is required before rule body", 3, 3)]
    [InlineData("package a\np := \"abc", "non-terminated string", 2, 6)]
    [InlineData("package a\np := \"a\\qb\"", "invalid escape sequence", 2, 6)]
    [InlineData("package a\np if {\n  x := \n}", "unexpected } token", 4, 1)]
    [InlineData("package a\np if {}", "found empty body", 2, 7)]
    [InlineData("package a\np if { x = 1 y = 2 }", "unexpected ident token", 2, 14)]
    [InlineData("package a\ndefault p if { true }", "default rules must have a value", 2, 1)]
    [InlineData("package a\np contains x else := 1 if { x := 1 }", "else keyword cannot be used on multi-value rules", 2, 14)]
    [InlineData("package a\nimport foo.bar", "invalid import path: path must begin with input, data, future or rego", 2, 1)]
    [InlineData("package a\np := 1\nimport data.x", "imports must appear before rules", 3, 1)]
    [InlineData("package a\np := [1, 2", "unexpected eof token: expected ]", 2, 11)]
    public void RejectsWithExactMessageAndPosition(string source, string message, int line, int column)
    {
        var e = Assert.Throws<RegoParseException>(() => RegoEngine.ParseModule("test.rego", source));
        Assert.Equal(message, e.Reason);
        Assert.Equal(new Location("test.rego", line, column), e.Location);
        Assert.Equal(RegoErrorCodes.ParseError, e.Code);
        Assert.Equal($"test.rego:{line}: rego_parse_error: {message}", e.Message);
    }

    [Theory]
    [InlineData("package a\np[x] { x := 1 }", RuleKind.MultiValue)]
    [InlineData("package a\np[x] = y { x := 1; y := 2 }", RuleKind.SingleValue)]
    [InlineData("package a\np { true }", RuleKind.SingleValue)]
    [InlineData("package a\nf(x) = y { y := x }", RuleKind.Function)]
    public void ParsesV0RuleForms(string source, RuleKind kind)
    {
        var m = RegoEngine.ParseModule("v0.rego", source, RegoVersion.V0);
        Assert.Equal(kind, Assert.Single(m.Rules).Kind);
    }

    [Theory]
    [InlineData("x := input.a[0].b", "x := input.a[0].b")]
    [InlineData("count(x) > 1 + 2 * 3", "count(x) > 1 + 2 * 3")]
    [InlineData("some k, v in {\"a\": 1}", "some k, v in {\"a\": 1}")]
    [InlineData("not data.p[_] with input as {\"a\": set()}", "not data.p[_] with input as {\"a\": set()}")]
    [InlineData("xs := [x | some x in [1, 2]; x > 1]", "xs := [x | some x in [1, 2]; x > 1]")]
    public void QueryTextRoundTrips(string query, string expected)
    {
        var engine = new RegoEngine();
        _ = engine;
        var body = new AgentFabric.Rego.Syntax.Parser(query, "q", RegoVersion.V1).ParseQuery();
        Assert.Equal(expected, body.ToString());
    }
}
