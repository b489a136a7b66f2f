using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Encodings;

public class EncodingBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value? Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args);

    private static RegoBuiltinException Fails(string name, params Value[] args) =>
        Assert.Throws<RegoBuiltinException>(() => Call(name, args));

    [Theory]
    [InlineData("base64.encode", "subjects?_d", "c3ViamVjdHM/X2Q=")]
    [InlineData("base64.decode", "c3ViamVjdHM/X2Q=", "subjects?_d")]
    [InlineData("base64url.encode", "subjects?_d", "c3ViamVjdHM_X2Q=")]
    [InlineData("base64url.encode_no_pad", "hello", "aGVsbG8")]
    [InlineData("base64url.decode", "aGVsbG8", "hello")]
    [InlineData("base64url.decode", "c3ViamVjdHM_X2Q=", "subjects?_d")]
    [InlineData("hex.encode", "lorem ipsum", "6c6f72656d20697073756d")]
    [InlineData("hex.decode", "6C6F", "lo")]
    [InlineData("urlquery.encode", "a=b+1 ü", "a%3Db%2B1+%C3%BC")]
    [InlineData("urlquery.decode", "a%3Db%2B1+%C3%BC", "a=b+1 ü")]
    public void Strings(string name, string input, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call(name, input));

    [Theory]
    [InlineData("aGVsbG8=", true)]
    [InlineData("aGVsbG8", false)] // standard encoding requires padding
    [InlineData("{'not':'base64'}", false)]
    public void Base64IsValid(string input, bool expected) =>
        Assert.Equal(BooleanValue.Create(expected), Call("base64.is_valid", input));

    [Theory]
    [InlineData("base64.decode", "aGVsbG8", "illegal base64 data at input byte 4")]
    [InlineData("base64.decode", "a$==", "illegal base64 data at input byte 1")]
    [InlineData("base64url.decode", "a", "illegal base64url string: a")]
    [InlineData("hex.decode", "fghijkl", "encoding/hex: invalid byte: U+0067 'g'")]
    [InlineData("hex.decode", "abc", "encoding/hex: odd length hex string")]
    [InlineData("urlquery.decode", "a%zz", "invalid URL escape \"%zz\"")]
    [InlineData("urlquery.decode_object", "a=1;b=2", "invalid semicolon separator in query")]
    public void DecodingErrors(string name, string input, string message)
    {
        var e = Fails(name, input);
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void UrlQuery_Objects()
    {
        var encoded = Call("urlquery.encode_object", ObjectValue.Create(("b", StringValue.Create("x y")), ("a", Value.ParseJson("[\"2\",\"1\"]"))));
        Assert.Equal(StringValue.Create("a=2&a=1&b=x+y"), encoded);
        Assert.Equal(Value.ParseJson("{\"a\":[\"value_a1\",\"value_a2\"],\"b\":[\"\"]}"), Call("urlquery.decode_object", "a=value_a1&b&a=value_a2"));
        var numericKey = ObjectValue.Create([new KeyValuePair<Value, Value>(NumberValue.One, SetValue.Create("y", "x"))]);
        Assert.Equal(StringValue.Create("1=x&1=y"), Call("urlquery.encode_object", numericKey));
        var e = Fails("urlquery.encode_object", ObjectValue.Create(("a", NumberValue.One)));
        Assert.Equal("eval_type_error", e.Code);
    }

    [Theory]
    [InlineData("[{\"foo\":[1,2,3]}]", "[{\"foo\":[1,2,3]}]")]
    [InlineData("\"<a&b>\"", "\"\\u003ca\\u0026b\\u003e\"")] // HTML-safe escaping as Go's json.Marshal
    [InlineData("{\"b\":1,\"a\":\"x\\ny\"}", "{\"a\":\"x\\ny\",\"b\":1}")]
    [InlineData("1.5", "1.5")]
    [InlineData("[1234567.5, 0.0000001, 0.00012]", "[1234567.5,0.0000001,0.00012]")] // written numbers keep their text
    public void JsonMarshal(string json, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call("json.marshal", Value.ParseJson(json)));

    [Fact]
    public void JsonMarshal_ComputedNumbersAsFloat64() =>
        Assert.Equal(StringValue.Create("[1e-7,1234567.5]"), Call("json.marshal", ArrayValue.Create(NumberValue.Create(1e-7), NumberValue.Create(1234567.5))));

    [Fact]
    public void JsonMarshal_SetsAndNonStringKeys()
    {
        var obj = ObjectValue.Create([new KeyValuePair<Value, Value>(NumberValue.One, SetValue.Create(2, 1))]);
        Assert.Equal(StringValue.Create("{\"1\":[1,2]}"), Call("json.marshal", obj));
    }

    [Theory]
    [InlineData("{\"indent\":\"  \"}", "[\n  1,\n  {\n    \"a\": []\n  }\n]")]
    [InlineData("{\"prefix\":\"> \"}", "> [\n> \t1,\n> \t{\n> \t\t\"a\": []\n> \t}\n> ]")]
    [InlineData("{\"pretty\":false,\"indent\":\"x\"}", "[1,{\"a\":[]}]")]
    [InlineData("{}", "[1,{\"a\":[]}]")]
    public void JsonMarshalWithOptions(string options, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call("json.marshal_with_options", Value.ParseJson("[1,{\"a\":[]}]"), Value.ParseJson(options)));

    [Theory]
    [InlineData("{\"bogus\":true}", "operand 2 object contained unknown key \"bogus\"")]
    [InlineData("{\"pretty\":1}", "operand 2 pretty parameter must be a boolean")]
    public void JsonMarshalWithOptions_BadOptions(string options, string message)
    {
        var e = Fails("json.marshal_with_options", NumberValue.One, Value.ParseJson(options));
        Assert.Equal("eval_type_error", e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void JsonUnmarshal_And_IsValid()
    {
        Assert.Equal(Value.ParseJson("{\"a\":[1,2.5,null]}"), Call("json.unmarshal", "{\"a\":[1,2.5,null]}"));
        Assert.Equal("eval_builtin_error", Fails("json.unmarshal", "{").Code);
        Assert.Equal(BooleanValue.True, Call("json.is_valid", "{\"json\": \"ok\"}"));
        Assert.Equal(BooleanValue.False, Call("json.is_valid", "plainstring"));
        Assert.Equal(BooleanValue.False, Call("json.is_valid", NumberValue.One));
    }

    // YAML 1.1 scalars as go-yaml v2 resolves them.
    [Theory]
    [InlineData("a: 1\nb: [x, 'y']\n", "{\"a\":1,\"b\":[\"x\",\"y\"]}")]
    [InlineData("on: yes\noff: No\n", "{\"false\":false,\"true\":true}")] // YAML 1.1: even the keys are booleans
    [InlineData("- ~\n- null\n- \"null\"\n- 0x1F\n- 1.5e3\n- 012\n", "[null,null,\"null\",31,1500,10]")]
    [InlineData("", "null")]
    [InlineData("a: &x 1\nb: *x\n", "{\"a\":1,\"b\":1}")]
    public void YamlUnmarshal(string yaml, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("yaml.unmarshal", yaml));

    [Fact]
    public void YamlUnmarshal_Error_UsesGoYamlWording()
    {
        var e = Fails("yaml.unmarshal", "[1,2,3");
        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal("yaml: line 1: did not find expected ',' or ']'", e.Message);
        Assert.Equal(BooleanValue.False, Call("yaml.is_valid", "foo: {"));
        Assert.Equal(BooleanValue.True, Call("yaml.is_valid", "{\"json\": \"ok\"}"));
    }

    // A document nested past the limit is a builtin error (it overflowed the stack and ended the process before).
    [Theory]
    [InlineData(40_000, "[")]
    [InlineData(1025, "[]")]
    [InlineData(5_000, "a: ")]
    [InlineData(5_000, "- ")]
    public void YamlUnmarshal_TooDeep_IsABuiltinError(int depth, string opener)
    {
        var yaml = opener == "[" ? new string('[', depth)
            : opener == "[]" ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', 2 * i) + opener + "\n"));

        var e = Fails("yaml.unmarshal", yaml);

        Assert.Equal("eval_builtin_error", e.Code);
        Assert.Equal("yaml: exceeded max depth of 1024", e.Message);
        Assert.Equal(BooleanValue.False, Call("yaml.is_valid", yaml));
    }

    [Fact]
    public void YamlUnmarshal_AtTheDepthLimit_Parses()
    {
        var yaml = new string('[', 1024) + new string(']', 1024);

        Value v = Call("yaml.unmarshal", yaml)!;
        for (var i = 0; i < 1023; i++)
        {
            v = Assert.Single(((ArrayValue)v).Items.ToArray());
        }

        Assert.Equal(ArrayValue.Empty, v);
    }

    [Theory]
    [InlineData("&a [*a]", "yaml: line 1: anchor 'a' value contains itself")]
    [InlineData("a: &x\n  b: *x\n", "yaml: line 2: anchor 'x' value contains itself")]
    [InlineData("*x", "yaml: line 1: unknown anchor 'x' referenced")]
    [InlineData("a: *x\nb: &x 1\n", "yaml: line 1: unknown anchor 'x' referenced")]
    [InlineData("a: 1\na: 2\n", "yaml: line 1: duplicate key a")]
    public void YamlUnmarshal_BadAliasesAndKeys_AreBuiltinErrors(string yaml, string message)
    {
        Assert.Equal(message, Fails("yaml.unmarshal", yaml).Message);
        Assert.Equal(BooleanValue.False, Call("yaml.is_valid", yaml));
    }

    [Fact]
    public void YamlUnmarshal_AliasReusesTheAnchoredValue() =>
        Assert.Equal(Value.ParseJson("""{"a":{"k":[1]},"b":{"k":[1]},"c":"s","d":"s"}"""),
            Call("yaml.unmarshal", "a: &m\n  k: [1]\nb: *m\nc: &s s\nd: *s\n"));

    [Theory]
    [InlineData("[{\"foo\":[1,2,3]}]", "- foo:\n  - 1\n  - 2\n  - 3\n")]
    [InlineData("{\"b\":{\"c\":\"true\"},\"a\":[],\"d\":\"x: y\",\"e\":\"\"}", "a: []\nb:\n  c: \"true\"\nd: 'x: y'\ne: \"\"\n")]
    [InlineData("\"plain\"", "plain\n")]
    [InlineData("{\"a\":\"x\\ny\"}", "a: |-\n  x\n  y\n")]
    [InlineData("[\"x\\ny\\n\"]", "- |\n  x\n  y\n")]
    public void YamlMarshal(string json, string expected) =>
        Assert.Equal(StringValue.Create(expected), Call("yaml.marshal", Value.ParseJson(json)));

    [Fact]
    public void YamlMarshal_RoundTripsThroughUnmarshal()
    {
        var value = Value.ParseJson("{\"k\":[{\"x\":\"1\",\"y\":[[]],\"z\":\"a\\n\\nb\\n\\n\"},\"- dash\",\"#hash\",null,true,2.5,\"l1\\nl2\"]}");
        var text = Call("yaml.marshal", value)!;
        Assert.Equal(value, Call("yaml.unmarshal", text));
    }
}
