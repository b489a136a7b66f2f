using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Semver;

public class SemverBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    // SemVer 2.0.0 §11 precedence examples.
    [Theory]
    [InlineData("1.0.0", "2.0.0", -1)]
    [InlineData("2.1.1", "2.1.0", 1)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1", -1)]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta", -1)]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11", -1)]
    [InlineData("1.0.0-rc.1", "1.0.0", -1)]
    [InlineData("1.0.0+build.1", "1.0.0+build.2", 0)]
    public void Compare(string a, string b, int expected)
    {
        Assert.Equal(NumberValue.Create(expected), Call("semver.compare", a, b));
        Assert.Equal(NumberValue.Create(-expected), Call("semver.compare", b, a));
    }

    [Theory]
    [InlineData("1.0.0", true)]
    [InlineData("1.0.0-alpha-1+meta.data", true)]
    [InlineData("1", false)]
    [InlineData("1.0", false)]
    [InlineData("v1.0.0", false)]
    [InlineData("1.0.0-", false)]
    [InlineData("1.0.0-a..b", false)]
    [InlineData("1.0.0+", false)]
    public void IsValid(string version, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("semver.is_valid", version));

    [Fact]
    public void IsValid_NonString_IsFalse() => Assert.Equal(BooleanValue.False, Call("semver.is_valid", NumberValue.One));

    [Fact]
    public void Compare_Invalid_NamesTheOperand()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("semver.compare", "1.0.0", "1"));
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal("operand 2: string \"1\" is not a valid SemVer", e.Message);
    }
}
