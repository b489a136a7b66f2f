namespace AgentFabric.Rego.Tests.Compilation;

/// <summary>The compiler reports every error of the stage that failed, sorted by location, as OPA does: the
/// exception's message lists them (<c>N errors occurred:</c>), its own properties are the first error's.</summary>
public class CompileErrorListTests
{
    private static readonly RegoEngine Engine = new(new RegoEngineOptions { Print = _ => { } });

    private static RegoCompileException Fail(params string[] modules) =>
        Assert.Throws<RegoCompileException>(() =>
            Engine.Compile(modules.Select((m, i) => new RegoModuleSource($"p{i}.rego", m)).ToList()));

    [Fact]
    public void UnsafeVarsOfSeveralRulesAreAllReported()
    {
        var e = Fail("package t\n\np if {\n\tx == 1\n}\n\nq if {\n\ty == 2\n}\n");
        Assert.Equal("2 errors occurred:\np0.rego:4: rego_unsafe_var_error: var x is unsafe\np0.rego:8: rego_unsafe_var_error: var y is unsafe", e.Message);
        Assert.Equal(RegoErrorCodes.UnsafeVarError, e.Code);
        Assert.Equal("var x is unsafe", e.Reason);
        Assert.Equal(4, e.Location?.Line);
        Assert.Equal(["p0.rego:4:2", "p0.rego:8:2"], e.Errors.Select(x => x.Location.ToString()));
    }

    [Fact]
    public void EveryUnsafeVarOfOneExpressionIsReported()
    {
        var e = Fail("package t\n\np if {\n\tx == y\n}\n");
        Assert.Equal(["var x is unsafe", "var y is unsafe"], e.Errors.Select(x => x.Reason));
    }

    [Fact]
    public void EachUndeclaredPrintOperandIsReportedAtTheOperand()
    {
        var e = Fail("package t\n\np if {\n\tsome x, y\n\tprint(x, y)\n}\n");
        Assert.Equal(
            "2 errors occurred:\np0.rego:5: rego_compile_error: var x is undeclared\np0.rego:5: rego_compile_error: var y is undeclared",
            e.Message);
        Assert.Equal([8, 11], e.Errors.Select(x => x.Location!.Value.Column));
    }

    [Fact]
    public void ErrorsAreSortedByFileThenLine()
    {
        var e = Fail("package b\n\nq if {\n\tz == 1\n}\n", "package a\n\np if {\n\tx == 1\n}\n");
        Assert.Equal(["p0.rego:4", "p1.rego:4"], e.Errors.Select(x => x.Location!.Value.FileLine));
    }

    [Fact]
    public void TreeErrorsOfSeveralRulesAreAllReported()
    {
        var e = Fail("package t\n\ndefault p := 1\ndefault p := 2\ndefault f(_) := 1\ndefault f(_) := 2\n");
        Assert.Equal(
            "2 errors occurred:\np0.rego:4: rego_compile_error: multiple default rules data.t.p found\np0.rego:6: rego_compile_error: multiple default rules data.t.f found",
            e.Message);
    }

    [Fact]
    public void ALaterStageIsNotRunAfterAFailedOne()
    {
        // The unsafe var (rule stage) hides the conflict (a later stage).
        var e = Fail("package t\n\np := 1\np contains 2\n\nq if {\n\tx == 1\n}\n");
        Assert.Equal("p0.rego:7: rego_unsafe_var_error: var x is unsafe", e.Message);
        Assert.Single(e.Errors);
    }

    [Fact]
    public void ASingleErrorKeepsItsOwnText()
    {
        var e = Fail("package t\n\np if {\n\tx == 1\n}\n");
        Assert.Equal("p0.rego:4: rego_unsafe_var_error: var x is unsafe", e.Message);
        Assert.Equal(e.Message, Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void MoreThanTenErrorsStopAtTheLimit()
    {
        var rules = string.Concat(Enumerable.Range(1, 12).Select(i => $"p{i} if {{ x{i} == 1 }}\n"));
        var e = Fail("package t\n" + rules);
        Assert.Equal(11, e.Errors.Count);
        Assert.Equal("rego_compile_error: error limit reached", e.Errors[10].ToString());
        Assert.StartsWith("11 errors occurred:\np0.rego:2: rego_unsafe_var_error: var x1 is unsafe\n", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("\np0.rego:11: rego_unsafe_var_error: var x10 is unsafe\nrego_compile_error: error limit reached", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyErrorListIsACallersBug() =>
        Assert.Throws<ArgumentException>(() => new RegoCompileException([]));
}
