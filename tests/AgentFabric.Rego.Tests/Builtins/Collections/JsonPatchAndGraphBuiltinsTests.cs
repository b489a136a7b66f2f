using static AgentFabric.Rego.Tests.Builtins.CollectionBuiltinsHarness;

namespace AgentFabric.Rego.Tests.Builtins.Collections;

public class JsonPatchAndGraphBuiltinsTests
{
    [Theory]
    [InlineData("{\"foo\": \"bar\"}", "[{\"op\": \"add\", \"path\": \"/baz\", \"value\": \"qux\"}]", "{\"baz\": \"qux\", \"foo\": \"bar\"}")]
    [InlineData("{\"foo\": [\"bar\", \"baz\"]}", "[{\"op\": \"add\", \"path\": \"/foo/1\", \"value\": \"qux\"}]", "{\"foo\": [\"bar\", \"qux\", \"baz\"]}")]
    [InlineData("[1, 2]", "[{\"op\": \"add\", \"path\": \"/-\", \"value\": 3}]", "[1, 2, 3]")]
    [InlineData("{\"foo\": [\"all\", \"grass\", \"cows\", \"eat\"]}", "[{\"op\": \"move\", \"from\": \"/foo/1\", \"path\": \"/foo/3\"}]", "{\"foo\": [\"all\", \"cows\", \"eat\", \"grass\"]}")]
    [InlineData("{\"a\": {\"b\": 1}}", "[{\"op\": \"copy\", \"from\": \"/a\", \"path\": \"/c\"}]", "{\"a\": {\"b\": 1}, \"c\": {\"b\": 1}}")]
    [InlineData("{\"a\": 1}", "[{\"op\": \"replace\", \"path\": \"\", \"value\": [1]}]", "[1]")]
    [InlineData("{\"~1\": 10}", "[{\"op\": \"test\", \"path\": \"/~01\", \"value\": 10}]", "{\"~1\": 10}")]
    [InlineData("{\"foo\": {\"a\", \"b\"}}", "[{\"op\": \"remove\", \"path\": \"foo/b\"}]", "{\"foo\": {\"a\"}}")]
    [InlineData("{\"foo\": {\"a\"}}", "[{\"op\": \"add\", \"path\": \"foo/d\", \"value\": \"d\"}]", "{\"foo\": {\"a\", \"d\"}}")]
    [InlineData("{[1]}", "[{\"op\": \"add\", \"path\": [[1], 1], \"value\": 2}]", "{[1, 2]}")]
    [InlineData("[1, 2, 3, 4]", "[{\"op\": \"remove\", \"path\": \"/1\"}, {\"op\": \"remove\", \"path\": \"/2\"}]", "[1, 3]")]
    public void Patch_Applies(string doc, string ops, string expected) => AssertResult(expected, "json.patch", doc, ops);

    [Theory]
    [InlineData("{\"q\": {\"bar\": 2}}", "[{\"op\": \"add\", \"path\": \"/a/b\", \"value\": 1}]")]
    [InlineData("[1, 2]", "[{\"op\": \"add\", \"path\": \"/3\", \"value\": 1}]")]
    [InlineData("[1, 2]", "[{\"op\": \"add\", \"path\": \"/-1\", \"value\": 1}]")]
    [InlineData("[\"a\", \"b\"]", "[{\"op\": \"test\", \"path\": \"/01\", \"value\": \"b\"}]")]
    [InlineData("[\"a\", \"b\"]", "[{\"op\": \"test\", \"path\": \"/1e0\", \"value\": \"b\"}]")]
    [InlineData("{\"baz\": \"qux\"}", "[{\"op\": \"test\", \"path\": \"/baz\", \"value\": \"bar\"}]")]
    [InlineData("{\"foo\": 1}", "[{\"op\": \"spam\", \"path\": \"/foo\", \"value\": 1}]")]
    [InlineData("{}", "[{\"op\": \"add\", \"value\": 1}]")]
    [InlineData("[1]", "[{\"op\": \"add\", \"path\": \"/-\"}]")]
    [InlineData("{\"foo\": 1}", "[{\"op\": \"move\", \"from\": \"/bar\", \"path\": \"/foo\"}]")]
    [InlineData("{\"foo\": \"bar\"}", "[{\"op\": \"remove\", \"path\": \"/baz\"}]")]
    [InlineData("{\"foo\": {\"a\"}}", "[{\"op\": \"add\", \"path\": \"foo/d\", \"value\": \"e\"}]")]
    [InlineData("{}", "[1]")]
    public void Patch_FailureIsUndefined(string doc, string ops) => AssertResult(null, "json.patch", doc, ops);

    [Fact]
    public void Patch_OperationsMustBeAnArray() =>
        AssertError(RegoErrorCodes.EvalTypeError, "operand 2 must be array but got object", "json.patch", "{}", "{}");

    [Theory]
    [InlineData("graph.reachable", "{\"a\": {\"b\"}, \"b\": {\"c\"}, \"c\": {\"a\"}}", "{\"a\"}", "{\"a\", \"b\", \"c\"}")]
    [InlineData("graph.reachable", "{\"a\": null}", "[\"a\"]", "{\"a\"}")]
    [InlineData("graph.reachable", "{\"a\": [\"x\"]}", "[\"x\"]", "set()")]
    [InlineData("graph.reachable_paths", "{\"a\": [\"b\", \"c\"], \"b\": [\"c\"], \"c\": []}", "{\"a\"}", "{[\"a\", \"b\", \"c\"], [\"a\", \"c\"]}")]
    [InlineData("graph.reachable_paths", "{\"a\": {\"b\"}, \"b\": {\"c\"}, \"c\": {\"a\"}}", "{\"a\"}", "{[\"a\", \"b\", \"c\"]}")]
    [InlineData("graph.reachable_paths", "{\"a\": [\"b\"], \"b\": [\"missing\"]}", "{\"a\", \"b\"}", "{[\"a\", \"b\"], [\"b\"]}")]
    public void Graph(string name, string graph, string initial, string expected) => AssertResult(expected, name, graph, initial);

    [Fact]
    public void ReachablePaths_ExponentialGraphIsBounded()
    {
        // 40 layers of two parallel vertices: 2^40 paths.
        var edges = string.Join(", ", Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            $"\"a{i}\": [\"a{i + 1}\", \"b{i + 1}\"]",
            $"\"b{i}\": [\"a{i + 1}\", \"b{i + 1}\"]",
        }));
        AssertError(RegoErrorCodes.BuiltinError, "graph has too many paths (more than 200000 steps)", "graph.reachable_paths", "{" + edges + "}", "[\"a0\"]");
    }

    [Theory]
    [InlineData("graph.reachable", "1", "[1]", "operand 1 must be object but got number")]
    [InlineData("graph.reachable_paths", "{}", "\"a\"", "operand 2 must be one of {array, set} but got string")]
    public void Graph_TypeErrors(string name, string graph, string initial, string message) =>
        AssertError(RegoErrorCodes.EvalTypeError, message, name, graph, initial);
}
