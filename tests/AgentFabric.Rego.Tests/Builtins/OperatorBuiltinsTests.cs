using Microsoft.Extensions.Time.Testing;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins;

public class OperatorBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    [Fact]
    public void Minus_OnSets_IsDifference() =>
        Assert.Equal(SetValue.Create(1), Registry.Invoke("minus", new BuiltinContext(), SetValue.Create(1, 2), SetValue.Create(2)));

    [Theory]
    [InlineData("minus", "[1]", "1", "operand 2 must be set but got number")]
    [InlineData("minus", "1", "[1]", "operand 2 must be number but got set")]
    [InlineData("minus", "\"a\"", "1", "operand 1 must be one of {number, set} but got string")]
    [InlineData("plus", "1", "\"a\"", "operand 2 must be number but got string")]
    public void TypeErrors_UseOpaWording(string name, string left, string right, string message)
    {
        // "[1]" stands for the set {1} so the vectors stay JSON.
        static Value Arg(string json) => json.StartsWith('[') ? SetValue.Create(((ArrayValue)Value.ParseJson(json)).Items) : Value.ParseJson(json);
        var e = Assert.Throws<RegoBuiltinException>(() => Registry.Invoke(name, new BuiltinContext(), Arg(left), Arg(right)));
        Assert.Equal(RegoErrorCodes.EvalTypeError, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("div", 1, 0, "divide by zero")]
    [InlineData("rem", 1, 0, "modulo by zero")]
    public void ArithmeticErrors_AreBuiltinErrors(string name, long a, long b, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Registry.Invoke(name, new BuiltinContext(), a, b));
        Assert.Equal(RegoErrorCodes.BuiltinError, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Context_FixesNowFromTimeProvider()
    {
        var ctx = new BuiltinContext(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1)));
        Assert.Equal(1_000_000_000L, ctx.NowNanoseconds);
    }
}
