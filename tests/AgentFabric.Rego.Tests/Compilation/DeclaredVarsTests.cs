namespace AgentFabric.Rego.Tests.Compilation;

/// <summary>A <c>some x</c> declaration that nothing in its rule mentions is a compile error in every mode, as in
/// OPA ("declared var x unused", at the declared variable).</summary>
public class DeclaredVarsTests
{
    private static readonly RegoEngine Engine = new();

    private static CompiledPolicy Compile(string rules, RegoEngine? engine = null) =>
        (engine ?? Engine).Compile([new RegoModuleSource("policy.rego", "package policy\nimport rego.v1\n" + rules)]);

    [Theory]
    [InlineData("p if {\n\tsome x\n\tinput.y == 1\n}", "x", 4, 7)]
    [InlineData("p if {\n\tsome x, y\n\tinput.a[x] == 1\n}", "y", 4, 10)]
    [InlineData("xs := [1 | some z; input.y == 1]", "z", 3, 17)]
    [InlineData("p if {\n\tinput.y == 1\n} else := 2 if {\n\tsome w\n\tinput.z == 1\n}", "w", 6, 7)]
    public void AnUnusedDeclarationIsRejectedAtTheVariable(string rules, string name, int line, int column)
    {
        var e = Assert.Throws<RegoCompileException>(() => Compile(rules));
        Assert.Equal("rego_compile_error", e.Code);
        Assert.Equal($"declared var {name} unused", e.Reason);
        Assert.Equal((line, column), (e.Location!.Value.Line, e.Location.Value.Column));
    }

    [Theory]
    [InlineData("p if {\n\tsome x\n\tinput.a[x] == 1\n}")]
    [InlineData("p contains x if {\n\tsome x\n\tinput.a[x]\n}")]
    [InlineData("p if {\n\tsome x\n\tinput.a[x] == 1\n\tcount([1 | input.b[x]]) > 0\n}")]
    [InlineData("p if {\n\tsome x in input.a\n\tinput.y == 1\n}")]
    [InlineData("p if {\n\tsome _\n\tinput.y == 1\n}")]
    public void UsedDeclarationsCompile(string rules) => Assert.NotNull(Compile(rules));

    [Fact]
    public void BothUnusedDeclarationsAndStrictUnusedAssignmentsAreReportedTogether()
    {
        var strict = new RegoEngine(new RegoEngineOptions { Strict = true });
        var e = Assert.Throws<RegoCompileException>(() => Compile("p if {\n\tsome x\n\ty := 1\n\tinput.a == 1\n}", strict));
        Assert.Equal(["declared var x unused", "assigned var y unused"], e.Errors.Select(x => x.Reason));
    }
}
