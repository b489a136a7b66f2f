using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Numbers;

public class UnitsBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    [Theory]
    [InlineData("500m", "0.5")]
    [InlineData("0.0005K", "0.5")]
    [InlineData("10K", "10000")]
    [InlineData("10KI", "10240")] // only the first letter's case matters
    [InlineData("100mi", "104857600")]
    [InlineData("1.1Ki", "1126.4")]
    [InlineData("1e3k", "1000000")]
    [InlineData("7.8E-1", "0.78")]
    [InlineData("10e", "10000000000000000000")]
    [InlineData("\"100Ti\"", "109951162777600")]
    [InlineData(".5", "0.5")]
    public void Parse(string input, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("units.parse", input));

    [Theory]
    [InlineData("1KiB", "1024")]
    [InlineData("10KB", "10000")]
    [InlineData("10kib", "10240")]
    [InlineData("1.1KiB", "1126")] // truncated
    [InlineData("1e-2KB", "10")]
    [InlineData("10eib", "11529215046068469760")]
    [InlineData("0.0", "0")]
    public void ParseBytes(string input, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("units.parse_bytes", input));

    [Theory]
    [InlineData("units.parse", "", "no amount provided")]
    [InlineData("units.parse", "G", "no amount provided")]
    [InlineData("units.parse", "0.0.0", "could not parse amount to a number")]
    [InlineData("units.parse", "100 k", "spaces not allowed in resource strings")]
    [InlineData("units.parse", "10e10000000Ei", "exponent too large")]
    [InlineData("units.parse", "1x", "unit x not recognized")]
    [InlineData("units.parse_bytes", "foo", "no byte amount provided")]
    [InlineData("units.parse_bytes", ".5.2", "could not parse byte amount to a number")]
    [InlineData("units.parse_bytes", " 327MiB ", "spaces not allowed in resource strings")]
    [InlineData("units.parse_bytes", "10e10000000EiB", "exponent too large")]
    [InlineData("units.parse_bytes", "1kk", "byte unit kk not recognized")]
    public void Rejects(string name, string input, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call(name, input));
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal(message, e.Message);
    }
}
