using AgentFabric.Rego.Ast;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Compilation;

/// <summary>OPA's strict-mode checks beyond unused assignments (OPA docs "Strict Mode"), with OPA's exact messages,
/// and the ones Rego v1 enforces without strict mode.</summary>
public class StrictModeChecksTests
{
    private static readonly RegoEngine Strict = new(new RegoEngineOptions { Strict = true });
    private static readonly RegoEngine Lenient = new();

    private static RegoCompileException Fail(RegoEngine engine, string module, RegoVersion version = RegoVersion.V1) =>
        Assert.Throws<RegoCompileException>(() => engine.Compile([new RegoModuleSource("test.rego", module, version)]));

    private static void Compiles(RegoEngine engine, string module, RegoVersion version = RegoVersion.V1) =>
        Assert.NotNull(engine.Compile([new RegoModuleSource("test.rego", module, version)]));

    [Fact]
    public void UnusedImportsAreAllReported()
    {
        var e = Fail(Strict, "package play\n\nimport input.foo\nimport data.bar as baz\n\nx := 1\n");
        Assert.Equal(
            "2 errors occurred:\ntest.rego:3: rego_compile_error: import input.foo unused\ntest.rego:4: rego_compile_error: import data.bar as baz unused",
            e.Message);
    }

    [Theory]
    [InlineData("package play\n\nimport input.foo\n\nx := 1 if foo\n")]
    [InlineData("package play\n\nimport data.a.b as c\n\nx := c.d\n")]
    [InlineData("package play\n\nimport future.keywords.in\n\nx := 1 in [1]\n")]
    [InlineData("package play\n\nimport rego.v1\n\nx := 1\n")]
    public void UsedAndKeywordImportsPass(string module) => Compiles(Strict, module);

    [Fact]
    public void UnusedImportsAreAllowedWithoutStrictMode() =>
        Compiles(Lenient, "package play\n\nimport input.foo\n\nx := 1\n");

    [Fact]
    public void DuplicateImportNamesTheImportItShadows()
    {
        const string module = "package play\n\nimport input.foo\nimport data.foo\n\nx := 1 if foo\n";
        Assert.Equal("test.rego:4: rego_compile_error: import must not shadow import input.foo", Fail(Lenient, module).Message);
        Assert.Equal("test.rego:4: rego_compile_error: import must not shadow import input.foo", Fail(Strict, module).Message);
    }

    [Fact]
    public void RegoV0LetsALaterImportShadowOutsideStrictMode()
    {
        const string module = "package play\n\nimport input.foo\nimport data.foo as foo\n\nx := foo\n";
        var policy = Lenient.Compile([new RegoModuleSource("test.rego", module, RegoVersion.V0)], Value.ParseJson("{\"foo\": 7}"));
        Assert.Equal(NumberValue.Create(7), Lenient.Prepare(policy, "data.play.x").Evaluate().Value);
        Assert.Equal(
            "test.rego:4: rego_compile_error: import must not shadow import input.foo",
            Fail(Strict, module, RegoVersion.V0).Message);
    }

    [Theory]
    [InlineData("package play\n\ninput := 1\n", "test.rego:3: rego_compile_error: rules must not shadow input (use a different rule name)")]
    [InlineData("package play\n\ndata := 1\n", "test.rego:3: rego_compile_error: rules must not shadow data (use a different rule name)")]
    [InlineData("package play\n\np if {\n\tinput := 1\n\tinput == 1\n}\n", "test.rego:4: rego_compile_error: variables must not shadow input (use a different variable name)")]
    [InlineData("package play\n\nf(data) := 1\n", "test.rego:3: rego_compile_error: args must not shadow data (use a different variable name)")]
    public void RootDocumentsMustNotBeShadowed(string module, string message)
    {
        Assert.Equal(message, Fail(Strict, module).Message);
        Assert.Equal(message, Fail(Lenient, module).Message); // Rego v1 enforces it by default
    }

    [Fact]
    public void RegoV0ShadowsRootDocumentsOnlyInStrictMode()
    {
        const string module = "package play\n\np {\n\tinput := 1\n\tinput == 1\n}\n";
        Compiles(Lenient, module, RegoVersion.V0);
        Assert.Equal(
            "test.rego:4: rego_compile_error: variables must not shadow input (use a different variable name)",
            Fail(Strict, module, RegoVersion.V0).Message);
    }

    [Theory]
    [InlineData("x := any([true, false])", "any", 3)]
    [InlineData("x := all([true, false])", "all", 3)]
    [InlineData("p if re_match(\"a\", \"a\")", "re_match", 3)]
    [InlineData("p if net.cidr_overlap(\"1.0.0.0/8\", \"1.1.1.1\")", "net.cidr_overlap", 3)]
    [InlineData("x := set_diff({1}, {2})", "set_diff", 3)]
    [InlineData("x := cast_array([1])", "cast_array", 3)]
    [InlineData("x := cast_set([1])", "cast_set", 3)]
    [InlineData("x := cast_string(\"a\")", "cast_string", 3)]
    [InlineData("x := cast_boolean(true)", "cast_boolean", 3)]
    [InlineData("x := cast_null(null)", "cast_null", 3)]
    [InlineData("x := cast_object({})", "cast_object", 3)]
    [InlineData("p if {\n\tcount([y | y := any([true])]) > 0\n}", "any", 4)]
    public void DeprecatedBuiltinsAreTypeErrors(string rule, string name, int line)
    {
        var e = Fail(Strict, "package play\n\n" + rule + "\n");
        Assert.Equal($"test.rego:{line}: rego_type_error: deprecated built-in function calls in expression: {name}", e.Message);
        Assert.Equal(RegoErrorCodes.TypeError, e.Code);
    }

    [Fact]
    public void RegoV0UsesDeprecatedBuiltinsOutsideStrictMode()
    {
        const string module = "package play\n\nx := any([true, false])\n";
        Compiles(Lenient, module, RegoVersion.V0);
        Assert.Equal(
            "test.rego:3: rego_type_error: deprecated built-in function calls in expression: any",
            Fail(Strict, module, RegoVersion.V0).Message);
    }

    [Fact]
    public void UnusedFunctionArgumentsAreReportedAtTheFunction()
    {
        var e = Fail(Strict, "package play\n\nf(a, b, c) := a if {\n\tc > 1\n}\n");
        Assert.Equal("test.rego:3: rego_compile_error: unused argument b. (hint: use _ (wildcard variable) instead)", e.Message);
    }

    [Theory]
    [InlineData("f(a, _) := a")]
    [InlineData("f(x) if {\n\tx.authenticated\n} else := false")]
    [InlineData("f(x) := 1 if {\n\tfalse\n} else := 2 if {\n\tx > 1\n}")]
    [InlineData("f([a, b]) := a + b")]
    [InlineData("f(x) := {\"v\": x}")]
    public void UsedOrWildcardArgumentsPass(string rule) => Compiles(Strict, "package play\n\n" + rule + "\n");

    [Fact]
    public void UnusedArgumentsAreAllowedWithoutStrictMode() =>
        Compiles(Lenient, "package play\n\nf(a, b) := a\n");

    [Fact]
    public void StagesRunInOpaOrderAndEachReportsAllItsFindings()
    {
        // Unused imports come first; the unused local is only found once imports are clean.
        const string body = "\n\np if {\n\tx := 1\n\ty := 2\n}\n";
        Assert.Equal("test.rego:2: rego_compile_error: import data.q unused", Fail(Strict, "package play\nimport data.q" + body).Message);
        Assert.Equal(
            "2 errors occurred:\ntest.rego:4: rego_compile_error: assigned var x unused\ntest.rego:5: rego_compile_error: assigned var y unused",
            Fail(Strict, "package play" + body).Message);
    }
}
