using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Strings;

public class StringsBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    // Arguments are written as JSON so the vectors stay readable.
    private static Value[] Args(string[] json) => json.Select(Value.ParseJson).ToArray();

    [Theory]
    [InlineData("concat", new[] { "\"/\"", "[\"a\",\"b\",\"c\"]" }, "\"a/b/c\"")]
    [InlineData("concat", new[] { "\",\"", "[]" }, "\"\"")]
    [InlineData("contains", new[] { "\"abc\"", "\"bc\"" }, "true")]
    [InlineData("startswith", new[] { "\"abc\"", "\"ab\"" }, "true")]
    [InlineData("endswith", new[] { "\"abc\"", "\"ab\"" }, "false")]
    [InlineData("format_int", new[] { "255", "16" }, "\"ff\"")]
    [InlineData("format_int", new[] { "-15.9", "16" }, "\"-f\"")]
    [InlineData("format_int", new[] { "18446744073709551617", "2" }, "\"10000000000000000000000000000000000000000000000000000000000000001\"")]
    [InlineData("indexof", new[] { "\"skön var våren\"", "\"vår\"" }, "9")]
    [InlineData("indexof", new[] { "\"abc\"", "\"x\"" }, "-1")]
    [InlineData("indexof_n", new[] { "\"aaa\"", "\"aa\"" }, "[0,1]")]
    [InlineData("lower", new[] { "\"ÀB\"" }, "\"àb\"")]
    [InlineData("upper", new[] { "\"àb\"" }, "\"ÀB\"")]
    [InlineData("replace", new[] { "\"aaa\"", "\"a\"", "\"b\"" }, "\"bbb\"")]
    [InlineData("replace", new[] { "\"ab\"", "\"\"", "\"-\"" }, "\"-a-b-\"")]
    [InlineData("split", new[] { "\"a.b\"", "\".\"" }, "[\"a\",\"b\"]")]
    [InlineData("split", new[] { "\"añ\"", "\"\"" }, "[\"a\",\"ñ\"]")]
    [InlineData("split", new[] { "\"\"", "\".\"" }, "[\"\"]")]
    [InlineData("strings.split_n", new[] { "\"a.b.c.d\"", "\".\"", "2" }, "[\"a\",\"b\"]")]
    [InlineData("strings.split_n", new[] { "\"a.b.c.d\"", "\".\"", "-2" }, "[\"c\",\"d\"]")]
    [InlineData("substring", new[] { "\"aμcdef\"", "1", "2" }, "\"μc\"")]
    [InlineData("substring", new[] { "\"abc\"", "1", "-1" }, "\"bc\"")]
    [InlineData("substring", new[] { "\"abc\"", "5", "1" }, "\"\"")]
    [InlineData("trim", new[] { "\"xxaxx\"", "\"x\"" }, "\"a\"")]
    [InlineData("trim_left", new[] { "\"xyaxy\"", "\"yx\"" }, "\"axy\"")]
    [InlineData("trim_right", new[] { "\"xyaxy\"", "\"yx\"" }, "\"xya\"")]
    [InlineData("trim_prefix", new[] { "\"abab\"", "\"ab\"" }, "\"ab\"")]
    [InlineData("trim_suffix", new[] { "\"abab\"", "\"ab\"" }, "\"ab\"")]
    [InlineData("trim_space", new[] { "\" \\t a \\n\"" }, "\"a\"")]
    [InlineData("strings.reverse", new[] { "\"añb\"" }, "\"bña\"")]
    [InlineData("strings.count", new[] { "\"cheese\"", "\"e\"" }, "3")]
    [InlineData("strings.count", new[] { "\"five\"", "\"\"" }, "5")]
    [InlineData("strings.replace_n", new[] { "{\"a\":\"b\",\"b\":\"a\"}", "\"ab\"" }, "\"ba\"")]
    [InlineData("strings.any_prefix_match", new[] { "[\"foo/bar\"]", "\"foo\"" }, "true")]
    [InlineData("strings.any_suffix_match", new[] { "\"foo/bar\"", "[\"baz\",\"foo\"]" }, "false")]
    public void Computes(string name, string[] args, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call(name, Args(args)));

    [Fact]
    public void Concat_AcceptsASetInSortedOrder() =>
        Assert.Equal(StringValue.Create("a,b"), Call("concat", ",", SetValue.Create("b", "a")));

    [Theory]
    [InlineData("concat", new[] { "\",\"", "[\"a\",1]" }, "eval_type_error", "operand 2 must be array of strings but got array containing number")]
    [InlineData("concat", new[] { "\",\"", "1" }, "eval_type_error", "operand 2 must be one of {array, set} but got number")]
    [InlineData("format_int", new[] { "1", "3" }, "eval_type_error", "operand 2 must be one of {2, 8, 10, 16}")]
    [InlineData("substring", new[] { "\"abc\"", "-1", "1" }, "eval_builtin_error", "negative offset")]
    [InlineData("strings.split_n", new[] { "\"a\"", "\".\"", "1.5" }, "eval_type_error", "operand 3 must be integer number but got floating-point number")]
    [InlineData("strings.replace_n", new[] { "{\"a\":1}", "\"a\"" }, "eval_type_error", "operand 1 non-string value found in pattern object")]
    [InlineData("strings.reverse", new[] { "1" }, "eval_type_error", "operand 1 must be string but got number")]
    [InlineData("strings.any_prefix_match", new[] { "1", "\"a\"" }, "eval_type_error", "operand 1 must be one of {string, set, array} but got number")]
    [InlineData("strings.any_suffix_match", new[] { "\"a\"", "[1]" }, "eval_type_error", "operand 2 must be array of strings but got array containing number")]
    [InlineData("indexof", new[] { "\"a\"", "\"\"" }, "eval_builtin_error", "empty search character")]
    public void Rejects(string name, string[] args, string code, string message)
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call(name, Args(args)));
        Assert.Equal(code, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ReplaceN_NonStringKey_IsATypeError()
    {
        var patterns = ObjectValue.Create([new KeyValuePair<Value, Value>(NumberValue.One, "x")]);
        var e = Assert.Throws<RegoBuiltinException>(() => Call("strings.replace_n", patterns, "a"));
        Assert.Equal("operand 1 non-string key found in pattern object", e.Message);
    }
}
