using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Numbers;

public class NumbersBuiltinsTests
{
    [Theory]
    [InlineData("abs", "-10", "10")]
    [InlineData("abs", "-1.5", "1.5")]
    [InlineData("abs", "-18446744073709551617", "18446744073709551617")]
    [InlineData("round", "1.5", "2")]
    [InlineData("round", "-1.5", "-2")]
    [InlineData("round", "1.4999", "1")]
    [InlineData("round", "0.49999999999999994", "0")]
    [InlineData("round", "18446744073709551617", "18446744073709551617")]
    [InlineData("ceil", "1.01", "2")]
    [InlineData("ceil", "-1.99999", "-1")]
    [InlineData("floor", "-1.001", "-2")]
    [InlineData("floor", "99.99999", "99")]
    public void Rounding(string name, string operand, string expected) => AssertResult(expected, name, operand);

    [Theory]
    [InlineData("0", "0", "[0]")]
    [InlineData("-2", "3", "[-2, -1, 0, 1, 2, 3]")]
    [InlineData("2", "-1", "[2, 1, 0, -1]")]
    [InlineData("18446744073709551616", "18446744073709551617", "[18446744073709551616, 18446744073709551617]")]
    public void Range_IsInclusiveInEitherDirection(string from, string to, string expected) =>
        AssertResult(expected, "numbers.range", from, to);

    [Theory]
    [InlineData("0", "10", "3", "[0, 3, 6, 9]")]
    [InlineData("10", "3", "2", "[10, 8, 6, 4]")]
    [InlineData("0", "10", "99999999999999999999", "[0]")]
    public void RangeStep(string from, string to, string step, string expected) =>
        AssertResult(expected, "numbers.range_step", from, to, step);

    [Theory]
    [InlineData("numbers.range", new[] { "3.14", "4" }, "eval_type_error", "operand 1 must be integer number but got floating-point number")]
    [InlineData("numbers.range", new[] { "3", "3.5" }, "eval_type_error", "operand 2 must be integer number but got floating-point number")]
    [InlineData("numbers.range", new[] { "\"a\"", "3" }, "eval_type_error", "operand 1 must be integer but got string")]
    [InlineData("numbers.range_step", new[] { "0", "10", "-2" }, "eval_builtin_error", "step must be a positive integer")]
    [InlineData("numbers.range_step", new[] { "0", "10", "0" }, "eval_builtin_error", "step must be a positive integer")]
    [InlineData("numbers.range", new[] { "0", "1000000000000" }, "eval_builtin_error", "range of 1000000000001 numbers exceeds the limit of 4194304")]
    [InlineData("abs", new[] { "\"1\"" }, "eval_type_error", "operand 1 must be number but got string")]
    [InlineData("rand.intn", new[] { "\"k\"", "1.5" }, "eval_type_error", "operand 2 must be integer number but got floating-point number")]
    [InlineData("rand.intn", new[] { "1", "5" }, "eval_type_error", "operand 1 must be string but got number")]
    public void Errors(string name, string[] operands, string code, string message) => AssertError(code, message, name, operands);

    [Fact]
    public void RandIntn_IsStablePerKeyWithinAnEvaluation()
    {
        var ctx = new BuiltinContext(random: new Random(7));
        var first = CallWith(ctx, "rand.intn", "\"key\"", "1000");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(first, CallWith(ctx, "rand.intn", "\"key\"", "1000"));
        }

        // -n is the same bound as n, so it shares the cached answer.
        Assert.Equal(first, CallWith(ctx, "rand.intn", "\"key\"", "-1000"));
        var n = Assert.IsType<NumberValue>(first);
        Assert.InRange(n.ToDouble(), 0, 999);
    }

    [Fact]
    public void RandIntn_AcceptsBoundsBeyond32Bits()
    {
        var n = Assert.IsType<NumberValue>(Call("rand.intn", "\"k\"", "5000000000"));
        Assert.InRange(n.ToDouble(), 0, 4_999_999_999);
    }

    [Fact]
    public void RandIntn_ZeroBoundIsZero() => AssertResult("0", "rand.intn", "\"k\"", "0");
}
