using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Collections;

public class AggregatesBuiltinsTests
{
    [Theory]
    [InlineData("count", "[1, 2, 3]", "3")]
    [InlineData("count", "{\"a\": 1}", "1")]
    [InlineData("count", "{1, 2}", "2")]
    [InlineData("count", "\"åäö\"", "3")]
    [InlineData("count", "\"😀a\"", "2")]
    [InlineData("sum", "[1, 2, 3, 4]", "10")]
    [InlineData("sum", "{1, 2.5}", "3.5")]
    [InlineData("sum", "[9223372036854775807, 1]", "9223372036854775808")]
    [InlineData("sum", "[]", "0")]
    [InlineData("product", "[18446744073709551617, 2]", "36893488147419103234")]
    [InlineData("product", "set()", "1")]
    [InlineData("product", "[1.5, 2]", "3")]
    [InlineData("max", "[1, 3, 2]", "3")]
    [InlineData("max", "[1, \"a\", null]", "\"a\"")]
    [InlineData("min", "{3, 2, 1}", "1")]
    [InlineData("min", "[3, -7, 10]", "-7")]
    [InlineData("sort", "[4, 3, 2, 1]", "[1, 2, 3, 4]")]
    [InlineData("sort", "[\"b\", 1, null, false]", "[null, false, 1, \"b\"]")]
    [InlineData("sort", "{3, 1}", "[1, 3]")]
    [InlineData("all", "[]", "true")]
    [InlineData("all", "[true, 1]", "false")]
    [InlineData("any", "set()", "false")]
    [InlineData("any", "[{}, true]", "true")]
    public void Values(string name, string operand, string expected) => AssertResult(expected, name, operand);

    [Theory]
    [InlineData("max", "[]")]
    [InlineData("min", "set()")]
    public void MaxMin_OfEmptyIsUndefined(string name, string operand) => AssertResult(null, name, operand);

    [Theory]
    [InlineData("count", "null", "operand 1 must be one of {array, object, set, string} but got null")]
    [InlineData("sum", "\"x\"", "operand 1 must be one of {set, array} but got string")]
    [InlineData("sum", "[1, \"x\"]", "operand 1 must be array of numbers but got array containing string")]
    [InlineData("product", "{1, \"x\"}", "operand 1 must be set of numbers but got set containing string")]
    [InlineData("max", "{}", "operand 1 must be one of {set, array} but got object")]
    [InlineData("sort", "1", "operand 1 must be one of {set, array} but got number")]
    [InlineData("all", "1", "operand 1 must be one of {array, set} but got number")]
    public void TypeErrors(string name, string operand, string message) => AssertError(RegoErrorCodes.EvalTypeError, message, name, operand);
}
