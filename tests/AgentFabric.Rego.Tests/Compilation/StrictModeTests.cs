namespace AgentFabric.Rego.Tests.Compilation;

public class StrictModeTests
{
    private static readonly RegoEngine Strict = new(new RegoEngineOptions { Strict = true });

    private static CompiledPolicy Compile(RegoEngine engine, string body) =>
        engine.Compile([new RegoModuleSource("policy.rego", "package policy\n\n" + body)]);

    [Theory]
    [InlineData("allow if {\n\tuser := input.user\n\tinput.user == \"admin\"\n}", "user", 4)]
    [InlineData("deny contains \"no\" if {\n\tinput.user != \"admin\"\n\tmsg := \"user is not admin\"\n}", "msg", 5)]
    [InlineData("f(x) := y if {\n\ty := x\n\tz := y\n}", "z", 5)]
    [InlineData("allow if {\n\t[a, b] := [1, 2]\n\ta == 1\n}", "b", 4)]
    [InlineData("xs := [y | some y in input.ys; unused := y]", "unused", 3)]
    [InlineData("allow if {\n\tevery x in input.xs {\n\t\tz := x\n\t}\n}", "z", 5)]
    public void UnusedAssignmentIsRejectedWithItsNameAndLine(string rules, string name, int line)
    {
        var e = Assert.Throws<RegoCompileException>(() => Compile(Strict, rules));
        Assert.Equal("rego_compile_error", e.Code);
        Assert.Equal($"assigned var {name} unused", e.Reason);
        Assert.Equal(line, e.Location?.Line);
    }

    [Theory]
    [InlineData("allow if {\n\tuser := input.user\n\tuser == \"admin\"\n}")]
    [InlineData("name := n if {\n\tn := input.name\n}")]
    [InlineData("f(x) := y if {\n\ty := x\n}")]
    [InlineData("xs := [y | some y in input.ys; z := y; z > 1]")]
    [InlineData("allow if {\n\tlimit := 3\n\tcount(input.items) < limit\n}")]
    [InlineData("allow if {\n\tm := {\"a\": 1}\n\tinput.x == 1 with input.m as m\n}")]
    [InlineData("allow if {\n\tu := input.u\n\tmsg := $\"hi {u}\"\n\tprint(msg)\n}")]
    public void ReadAssignmentsCompile(string rules)
    {
        Assert.NotNull(Compile(Strict, rules));
    }

    [Fact]
    public void WithoutStrictModeAnUnusedAssignmentCompiles()
    {
        Assert.NotNull(Compile(new RegoEngine(), "allow if {\n\tuser := input.user\n\tinput.user == \"admin\"\n}"));
    }
}
