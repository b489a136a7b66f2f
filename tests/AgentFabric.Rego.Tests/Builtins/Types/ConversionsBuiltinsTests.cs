using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Types;

public class ConversionsBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    [Theory]
    [InlineData("\"-42.0\"", "-42")]
    [InlineData("\"100.1\"", "100.1")]
    [InlineData("\"1e3\"", "1000")]
    [InlineData("\"+5\"", "5")]
    [InlineData("\"123456789012345678901234567890\"", "123456789012345678901234567890")] // stays exact
    [InlineData("null", "0")]
    [InlineData("false", "0")]
    [InlineData("true", "1")]
    [InlineData("7.5", "7.5")]
    public void ToNumber(string json, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("to_number", Value.ParseJson(json)));

    [Theory]
    [InlineData("broken", "eval_builtin_error", "strconv.ParseFloat: parsing \"broken\": invalid syntax")]
    [InlineData("1e400", "eval_builtin_error", "strconv.ParseFloat: parsing \"1e400\": value out of range")]
    [InlineData("-Infinity", "eval_type_error", "operand 1 must be a valid number string but got \"-Infinity\"")]
    [InlineData("NaN", "eval_type_error", "operand 1 must be a valid number string but got \"NaN\"")]
    public void ToNumber_Rejects(string input, string code, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("to_number", input));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Casts()
    {
        Assert.Equal(Value.ParseJson("[1,2,3]"), Call("cast_array", SetValue.Create(3, 1, 2)));
        Assert.Equal(SetValue.Create(1), Call("cast_set", Value.ParseJson("[1,1,1]")));
        Assert.Equal(NullValue.Instance, Call("cast_null", NullValue.Instance));
        Assert.Equal("operand 1 must be one of {array, set} but got string", Assert.Throws<RegoBuiltinException>(() => Call("cast_array", "hello")).Message);
        Assert.Equal("operand 1 must be boolean but got number", Assert.Throws<RegoBuiltinException>(() => Call("cast_boolean", NumberValue.One)).Message);
        Assert.Equal("operand 1 must be object but got array", Assert.Throws<RegoBuiltinException>(() => Call("cast_object", ArrayValue.Empty)).Message);
        Assert.True(Registry["cast_array"].Flags.HasFlag(BuiltinFlags.Deprecated));
    }
}
