using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Numbers;

public class BitsBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    [Theory]
    [InlineData("bits.and", "12", "10", "8")]
    [InlineData("bits.or", "12", "10", "14")]
    [InlineData("bits.xor", "12", "10", "6")]
    [InlineData("bits.and", "-1", "18446744073709551617", "18446744073709551617")] // two's complement, any size
    [InlineData("bits.lsh", "1", "70", "1180591620717411303424")]
    [InlineData("bits.rsh", "-9", "1", "-5")] // arithmetic shift rounds toward -inf
    public void Binary(string name, string x, string y, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call(name, Value.ParseJson(x), Value.ParseJson(y)));

    [Fact]
    public void Negate() => Assert.Equal(NumberValue.Create(-43), Call("bits.negate", NumberValue.Create(42)));

    [Theory]
    [InlineData("bits.and", "1.5", "1", "operand 1 must be integer number but got floating-point number")]
    [InlineData("bits.lsh", "1", "-1", "operand 2 must be an unsigned integer number but got a negative integer")]
    [InlineData("bits.rsh", "1", "-1", "operand 2 must be an unsigned integer number but got a negative integer")]
    public void Rejects(string name, string x, string y, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call(name, Value.ParseJson(x), Value.ParseJson(y)));
        Assert.Equal("eval_type_error", e.Code);
        Assert.Equal(message, e.Message);
    }
}
