using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Collections;

public class ObjectsBuiltinsTests
{
    [Theory]
    [InlineData("object.get", new[] { "{\"a\": \"b\"}", "\"a\"", "\"c\"" }, "\"b\"")]
    [InlineData("object.get", new[] { "{\"a\": \"b\"}", "\"x\"", "\"c\"" }, "\"c\"")]
    [InlineData("object.get", new[] { "{\"a\": 1}", "[]", "2" }, "{\"a\": 1}")]
    [InlineData("object.get", new[] { "{\"a\": {\"b\": [{\"c\": 1}]}}", "[\"a\", \"b\", 0, \"c\"]", "2" }, "1")]
    [InlineData("object.get", new[] { "{\"a\": {\"b\": [1]}}", "[\"a\", \"b\", 1]", "2" }, "2")]
    [InlineData("object.get", new[] { "{\"a\": {\"b\": [1]}}", "[\"a\", \"b\", \"0\"]", "2" }, "2")]
    [InlineData("object.get", new[] { "{1: {\"b\": {[1, 2]: 1}}}", "[1, \"b\", [1, 2]]", "2" }, "1")]
    [InlineData("object.get", new[] { "{\"s\": {\"x\"}}", "[\"s\", \"x\"]", "2" }, "\"x\"")]
    [InlineData("object.keys", new[] { "{\"b\": 1, \"a\": 2}" }, "{\"a\", \"b\"}")]
    [InlineData("object.remove", new[] { "{\"a\": 1, \"b\": 2, \"c\": 3}", "[\"a\", \"c\"]" }, "{\"b\": 2}")]
    [InlineData("object.remove", new[] { "{\"a\": 1, [[7]]: 2}", "{[[7]]}" }, "{\"a\": 1}")]
    [InlineData("object.remove", new[] { "{\"a\": 1, \"b\": 2}", "{\"b\": \"ignored\"}" }, "{\"a\": 1}")]
    [InlineData("object.filter", new[] { "{\"a\": 1, \"b\": 2, \"c\": 3}", "{\"a\", \"x\"}" }, "{\"a\": 1}")]
    [InlineData("object.filter", new[] { "{\"a\": 7}", "[]" }, "{}")]
    [InlineData("object.union", new[] { "{\"a\": {\"b\": 1}, \"c\": 1}", "{\"a\": {\"d\": 2}, \"c\": 2}" }, "{\"a\": {\"b\": 1, \"d\": 2}, \"c\": 2}")]
    [InlineData("object.union", new[] { "{\"a\": {\"b\": 1}}", "{\"a\": 4}" }, "{\"a\": 4}")]
    [InlineData("object.union_n", new[] { "[{\"a\": {\"b\": 2}}, {\"a\": 4}, {\"a\": {\"c\": 3}}]" }, "{\"a\": {\"c\": 3}}")]
    [InlineData("object.union_n", new[] { "[]" }, "{}")]
    [InlineData("object.subset", new[] { "{\"a\": 1, \"n\": {\"x\": 1, \"y\": {1, 2}}}", "{\"n\": {\"y\": {2}}}" }, "true")]
    [InlineData("object.subset", new[] { "{\"a\": 1}", "{\"a\": 2}" }, "false")]
    [InlineData("object.subset", new[] { "[1, 2, 3, 4]", "[2, 3]" }, "true")]
    [InlineData("object.subset", new[] { "[1, 2, 3, 4]", "[2, 4]" }, "false")]
    [InlineData("object.subset", new[] { "[1, 2, 3]", "{3, 1}" }, "true")]
    [InlineData("object.subset", new[] { "[1, 1]", "{1, 2}" }, "false")]
    [InlineData("object.subset", new[] { "{1, {\"a\", \"b\"}}", "{{\"a\"}}" }, "false")]
    public void Values(string name, string[] operands, string expected) => AssertResult(expected, name, operands);

    [Theory]
    [InlineData("json.filter", "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}, \"e\": 9}", "{\"a/b/c\"}", "{\"a\": {\"b\": {\"c\": 7}}}")]
    [InlineData("json.filter", "{\"a\": {\"b\": 7}}", "{\"a\", \"a/b\"}", "{\"a\": {\"b\": 7}}")]
    [InlineData("json.filter", "{\"a\": [{\"b\": 7, \"c\": 8}, {\"d\": 9}]}", "{\"a/0/b\", \"a/1\"}", "{\"a\": [{\"b\": 7}, {\"d\": 9}]}")]
    [InlineData("json.filter", "{\"a/b\": 1, \"~\": 2, \"c\": 3}", "[\"/a~1b\", \"~0\"]", "{\"a/b\": 1, \"~\": 2}")]
    [InlineData("json.filter", "{\"a\": {\"b\": 1, \"c\": 2}}", "{[\"a\", \"c\"]}", "{\"a\": {\"c\": 2}}")]
    [InlineData("json.filter", "{\"a\": 1}", "{\"\"}", "{}")]
    [InlineData("json.remove", "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}, \"e\": 9}", "{\"a/b/c\", \"e\"}", "{\"a\": {\"b\": {\"d\": 8}}}")]
    [InlineData("json.remove", "{\"a\": [{\"b\": 7, \"c\": 8}, {\"d\": 9}]}", "[\"a/0/b\", \"a/1\"]", "{\"a\": [{\"c\": 8}]}")]
    [InlineData("json.remove", "{\"a\": {\"b\": 7}, \"c\": 1}", "{\"a/b\", \"c\"}", "{\"a\": {}}")]
    [InlineData("json.remove", "{\"s\": {\"x\", \"y\"}}", "{\"s/x\"}", "{\"s\": {\"y\"}}")]
    public void JsonPaths(string name, string obj, string paths, string expected) => AssertResult(expected, name, obj, paths);

    [Theory]
    [InlineData("object.get", new[] { "\"o\"", "\"a\"", "1" }, "operand 1 must be object but got string")]
    [InlineData("object.remove", new[] { "{}", "\"a\"" }, "operand 2 must be one of {object, set, array} but got string")]
    [InlineData("object.filter", new[] { "[1]", "{\"a\"}" }, "operand 1 must be object but got array")]
    [InlineData("object.union", new[] { "{}", "[1]" }, "operand 2 must be object but got array")]
    [InlineData("object.union_n", new[] { "[{}, \"baz\"]" }, "operand 1 must be array of objects but got array containing string")]
    [InlineData("object.keys", new[] { "\"o\"" }, "operand 1 must be object but got string")]
    [InlineData("object.subset", new[] { "{1}", "[1]" }, "both arguments object.subset must be of the same type or array and set")]
    [InlineData("json.remove", new[] { "{}", "\"a\"" }, "operand 2 must be one of {set, array} but got string")]
    [InlineData("json.remove", new[] { "{}", "{\"a\", 1}" }, "operand 2 must be one of {set, array} containing string paths or array of path segments but got number")]
    [InlineData("json.filter", new[] { "[]", "{\"a\"}" }, "operand 1 must be object but got array")]
    public void TypeErrors(string name, string[] operands, string message) => AssertError(RegoErrorCodes.EvalTypeError, message, name, operands);
}
