using System.Numerics;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Strings;

public class SprintfBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static string Sprintf(string format, string jsonArgs) =>
        ((StringValue)Registry.Invoke("sprintf", new BuiltinContext(), format, Value.ParseJson(jsonArgs))!).Value;

    // Expected texts are what Go's fmt.Sprintf prints for the operand kinds OPA passes (int, *big.Int, float64, string).
    [Theory]
    [InlineData("hi", "[]", "hi")]
    [InlineData("hi %s", "[\"there\"]", "hi there")]
    [InlineData("%02d", "[5]", "05")]
    [InlineData("%02X.%02X", "[127, 1]", "7F.01")]
    [InlineData("%.2f", "[3.1415]", "3.14")]
    [InlineData("%5.2f|", "[3.14159]", " 3.14|")]
    [InlineData("%08.3f", "[-3.14159]", "-003.142")]
    [InlineData("%-5d|", "[42]", "42   |")]
    [InlineData("%+d % d", "[5, 5]", "+5  5")]
    [InlineData("%x %X %#x %o %#o %b", "[255, 255, 255, 8, 8, 5]", "ff FF 0xff 10 010 101")]
    [InlineData("%.3d", "[7]", "007")]
    [InlineData("%e", "[123456.789]", "1.234568e+05")]
    [InlineData("%.2E", "[0.000123]", "1.23E-04")]
    [InlineData("%g", "[0.000012345]", "1.2345e-05")]
    [InlineData("%g", "[100000.5]", "100000.5")]
    [InlineData("%.3g", "[3.14159]", "3.14")]
    [InlineData("%v", "[0.30000000000000004]", "0.30000000000000004")]
    [InlineData("%v", "[[\"there\", 5, 3.14]]", "[\"there\", 5, 3.14]")]
    [InlineData("%v", "[{\"a\": null}]", "{\"a\": null}")]
    [InlineData("%s", "[true]", "true")]
    [InlineData("%t", "[true]", "%!t(string=true)")]
    [InlineData("%q", "[\"a\\\"b\"]", "\"a\\\"b\"")]
    [InlineData("%.3s|%5s|%-5s|", "[\"abcdef\", \"ab\", \"ab\"]", "abc|   ab|ab   |")]
    [InlineData("%x", "[\"hi\"]", "6869")]
    [InlineData("%c%c", "[72, 105]", "Hi")]
    [InlineData("%U", "[128512]", "U+1F600")]
    [InlineData("%T %T %T", "[1, 1.5, \"s\"]", "int float64 string")]
    [InlineData("100%%", "[]", "100%")]
    [InlineData("%[2]d %[1]d", "[1, 2]", "2 1")]
    [InlineData("%*d|", "[4, 7]", "   7|")]
    [InlineData("%d", "[\"x\"]", "%!d(string=x)")]
    [InlineData("%d", "[1.5]", "%!d(float64=1.5)")]
    [InlineData("%s", "[1]", "%!s(int=1)")]
    [InlineData("%d %d", "[1]", "1 %!d(MISSING)")]
    [InlineData("%d", "[1, \"a\"]", "1%!(EXTRA string=a)")]
    [InlineData("%", "[]", "%!(NOVERB)")]
    [InlineData("%z", "[1]", "%!z(int=1)")]
    [InlineData("%[3]d", "[1]", "%!d(BADINDEX)")]
    public void FormatsLikeGo(string format, string args, string expected) => Assert.Equal(expected, Sprintf(format, args));

    [Theory]
    [InlineData("%s", "123456789123456789123")]
    [InlineData("%v", "123456789123456789123")]
    [InlineData("%d", "123456789123456789123")]
    [InlineData("%x", "6b14e9f9b0df36a83")]
    [InlineData("%f", "%!f(big.Int=123456789123456789123)")]
    public void BigIntegers_FormatAsGoBigInt(string format, string expected)
    {
        var big = NumberValue.Create(BigInteger.Parse("123456789123456789123", System.Globalization.CultureInfo.InvariantCulture));
        var result = Registry.Invoke("sprintf", new BuiltinContext(), format, ArrayValue.Create(big));
        Assert.Equal(StringValue.Create(expected), result);
    }

    [Fact]
    public void Sets_PrintAsTerms() =>
        Assert.Equal(StringValue.Create("{1, 2}"), Registry.Invoke("sprintf", new BuiltinContext(), "%v", ArrayValue.Create(SetValue.Create(2, 1))));

    [Fact]
    public void NonArrayOperand_IsATypeError()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Registry.Invoke("sprintf", new BuiltinContext(), "%v", "x"));
        Assert.Equal("eval_type_error", e.Code);
        Assert.Equal("operand 2 must be array but got string", e.Message);
    }
}
