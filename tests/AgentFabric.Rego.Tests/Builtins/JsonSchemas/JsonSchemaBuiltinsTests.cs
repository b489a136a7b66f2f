using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.JsonSchemas;

public class JsonSchemaBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static Value Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args)!;

    private const string NotValid = "has a primitive type that is NOT VALID -- given: /{0}/ Expected valid values are:[array boolean integer number null object string]";

    [Theory]
    [InlineData("{\"type\":\"boolean\"}", null)]
    [InlineData("{\"type\":[\"string\",\"null\"],\"properties\":{\"a\":{\"items\":{\"type\":\"integer\"}}}}", null)]
    [InlineData("true", null)]
    [InlineData("{\"type\":\"unknown_type\"}", "unknown_type")]
    [InlineData("{\"properties\":{\"a\":{\"type\":\"strin\"}}}", "strin")]
    [InlineData("{\"items\":[{\"type\":\"integer\"},{\"type\":\"int\"}]}", "int")]
    [InlineData("{\"anyOf\":[{\"type\":\"float\"}]}", "float")]
    public void VerifySchema_ChecksTypeNames(string schema, string? badType)
    {
        var expected = badType is null
            ? ArrayValue.Create(BooleanValue.True, NullValue.Instance)
            : ArrayValue.Create(BooleanValue.False, StringValue.Create("jsonschema: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, NotValid, badType)));
        Assert.Equal(expected, Call("json.verify_schema", schema));
        if (Value.ParseJson(schema) is ObjectValue asObject)
        {
            Assert.Equal(expected, Call("json.verify_schema", asObject));
        }
    }

    [Theory]
    [InlineData("{\"type\":5}", "jsonschema: Invalid type. Expected: string/array of strings, given: type")]
    [InlineData("{\"required\":\"a\"}", "jsonschema: Invalid type. Expected: array of strings, given: required")]
    [InlineData("{\"type\":", "jsonschema: ")]
    public void VerifySchema_ReportsMalformedSchemas(string schema, string messageStart)
    {
        var result = Assert.IsType<ArrayValue>(Call("json.verify_schema", schema));
        Assert.Equal(BooleanValue.False, result[0]);
        Assert.StartsWith(messageStart, Assert.IsType<StringValue>(result[1]).Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":5}", "[]")]
    [InlineData("{\"id\":\"foo\"}", """[{"desc":"Invalid type. Expected: integer, given: string","error":"id: Invalid type. Expected: integer, given: string","field":"id","type":"invalid_type"}]""")]
    [InlineData("{}", """[{"desc":"id is required","error":"(root): id is required","field":"(root)","type":"required"}]""")]
    [InlineData("{\"id\":1,\"x\":2}", """[{"desc":"Additional property x is not allowed","error":"(root): Additional property x is not allowed","field":"(root)","type":"additional_property_not_allowed"}]""")]
    [InlineData("{\"id\":1,\"tags\":[\"a\",3]}", """[{"desc":"Invalid type. Expected: string, given: integer","error":"tags.1: Invalid type. Expected: string, given: integer","field":"tags.1","type":"invalid_type"}]""")]
    [InlineData("{\"id\":1,\"inner\":{\"n\":1.5}}", """[{"desc":"Invalid type. Expected: integer, given: number","error":"inner.n: Invalid type. Expected: integer, given: number","field":"inner.n","type":"invalid_type"}]""")]
    [InlineData("{\"id\":0}", """[{"desc":"Must be greater than or equal to 1","error":"id: Must be greater than or equal to 1","field":"id","type":"number_gte"}]""")]
    [InlineData("{\"id\":1,\"name\":\"ab\"}", """[{"desc":"String length must be greater than or equal to 3","error":"name: String length must be greater than or equal to 3","field":"name","type":"string_gte"}]""")]
    [InlineData("{\"id\":1,\"kind\":\"c\"}", """[{"desc":"kind must be one of the following: \"a\", \"b\"","error":"kind: kind must be one of the following: \"a\", \"b\"","field":"kind","type":"enum"}]""")]
    public void MatchSchema_ReportsErrorsAsOpaDoes(string document, string errors)
    {
        const string schema = """
            {"type":"object","additionalProperties":false,"required":["id"],"properties":{
              "id":{"type":"integer","minimum":1},
              "name":{"type":"string","minLength":3},
              "kind":{"enum":["a","b"]},
              "tags":{"type":"array","items":{"type":"string"}},
              "inner":{"type":"object","properties":{"n":{"type":"integer"}}}}}
            """;
        var expectedErrors = Value.ParseJson(errors);
        var expected = ArrayValue.Create(BooleanValue.Create(((ArrayValue)expectedErrors).Count == 0), expectedErrors);
        Assert.Equal(expected, Call("json.match_schema", document, schema));
        Assert.Equal(expected, Call("json.match_schema", Value.ParseJson(document), Value.ParseJson(schema)));
    }

    [Fact]
    public void CompiledSchemas_AreReusedWithinAnEvaluation()
    {
        var ctx = new BuiltinContext();
        var schema = Value.ParseJson("{\"type\":\"integer\"}");
        Assert.Equal(BooleanValue.True, ((ArrayValue)Registry.Invoke("json.match_schema", ctx, "1", schema)!)[0]);
        Assert.Equal(BooleanValue.False, ((ArrayValue)Registry.Invoke("json.match_schema", ctx, "\"x\"", schema)!)[0]);
        Assert.Single(ctx.Cache);
    }

    [Fact]
    public void MatchSchema_InvalidSchemaIsAnError()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("json.match_schema", "{}", "{\"type\":\"unknown\"}"));
        Assert.Equal(RegoErrorCodes.BuiltinError, e.Code);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, NotValid, "unknown"), e.Message);
    }

    [Fact]
    public void MatchSchema_ExternalReferencesAreNotFetched()
    {
        var e = Assert.Throws<RegoBuiltinException>(() => Call("json.match_schema", "{}", "{\"$ref\":\"http://127.0.0.1:1/schema.json\"}"));
        Assert.Contains("external schema reference", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "operand 1 must be one of {object, string} but got number")]
    [InlineData(1, "operand 2 must be one of {object, string} but got number")]
    public void MatchSchema_OperandTypes(int bad, string message)
    {
        Value[] args = bad == 0 ? [1, "{}"] : ["{}", 1];
        var e = Assert.Throws<RegoBuiltinException>(() => Call("json.match_schema", args));
        Assert.Equal(RegoErrorCodes.EvalTypeError, e.Code);
        Assert.Equal(message, e.Message);
    }
}
