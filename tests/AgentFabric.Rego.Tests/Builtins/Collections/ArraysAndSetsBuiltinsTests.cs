using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Collections;

public class ArraysAndSetsBuiltinsTests
{
    [Theory]
    [InlineData("array.concat", new[] { "[1, 2]", "[3]" }, "[1, 2, 3]")]
    [InlineData("array.concat", new[] { "[]", "[]" }, "[]")]
    [InlineData("array.slice", new[] { "[1, 2, 3, 4, 5]", "1", "3" }, "[2, 3]")]
    [InlineData("array.slice", new[] { "[1, 2, 3, 4, 5]", "-1", "2" }, "[1, 2]")]
    [InlineData("array.slice", new[] { "[1, 2, 3, 4, 5]", "4", "1" }, "[]")]
    [InlineData("array.slice", new[] { "[1, 2, 3]", "1000", "2000" }, "[]")]
    [InlineData("array.slice", new[] { "[1, 2, 3]", "-5000000000", "5000000000" }, "[1, 2, 3]")]
    [InlineData("array.reverse", new[] { "[1, 2, 3]" }, "[3, 2, 1]")]
    [InlineData("array.flatten", new[] { "[[1, [2]], 3, [[4]]]" }, "[1, [2], 3, [4]]")]
    [InlineData("cast_array", new[] { "{2, 1}" }, "[1, 2]")]
    [InlineData("cast_set", new[] { "[1, 1, 2]" }, "{1, 2}")]
    [InlineData("union", new[] { "{{1, 2}, {2, 3}}" }, "{1, 2, 3}")]
    [InlineData("union", new[] { "set()" }, "set()")]
    [InlineData("intersection", new[] { "{{1, 2}, {2, 3}}" }, "{2}")]
    [InlineData("intersection", new[] { "set()" }, "set()")]
    [InlineData("set_diff", new[] { "{1, 2}", "{2}" }, "{1}")]
    public void Values(string name, string[] operands, string expected) => AssertResult(expected, name, operands);

    [Theory]
    [InlineData("array.concat", new[] { "{}", "[]" }, "operand 1 must be array but got object")]
    [InlineData("array.concat", new[] { "[]", "{}" }, "operand 2 must be array but got object")]
    [InlineData("array.slice", new[] { "[]", "0.5", "1" }, "operand 2 must be integer number but got floating-point number")]
    [InlineData("array.reverse", new[] { "\"abc\"" }, "operand 1 must be array but got string")]
    [InlineData("array.flatten", new[] { "42" }, "operand 1 must be array but got number")]
    [InlineData("cast_set", new[] { "\"hello\"" }, "operand 1 must be one of {array, set} but got string")]
    [InlineData("union", new[] { "{1}" }, "operand 1 must be set but got number")]
    [InlineData("intersection", new[] { "[{1}]" }, "operand 1 must be set but got array")]
    public void TypeErrors(string name, string[] operands, string message) => AssertError(RegoErrorCodes.EvalTypeError, message, name, operands);
}
