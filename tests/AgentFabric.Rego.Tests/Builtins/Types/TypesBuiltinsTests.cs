using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Types;

public class TypesBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    [Theory]
    [InlineData("null", "null", "is_null")]
    [InlineData("true", "boolean", "is_boolean")]
    [InlineData("1.5", "number", "is_number")]
    [InlineData("\"s\"", "string", "is_string")]
    [InlineData("[1]", "array", "is_array")]
    [InlineData("{\"a\":1}", "object", "is_object")]
    public void TypeName_And_IsBuiltins(string json, string typeName, string predicate)
    {
        var v = Value.ParseJson(json);
        Assert.Equal(StringValue.Create(typeName), Registry.Invoke("type_name", new BuiltinContext(), v));
        foreach (var p in new[] { "is_null", "is_boolean", "is_number", "is_string", "is_array", "is_object", "is_set" })
        {
            // The wrong type is false, not undefined.
            Assert.Equal(BooleanValue.Create(p == predicate), Registry.Invoke(p, new BuiltinContext(), v));
        }
    }

    [Fact]
    public void Sets()
    {
        Assert.Equal(StringValue.Create("set"), Registry.Invoke("type_name", new BuiltinContext(), SetValue.Empty));
        Assert.Equal(BooleanValue.True, Registry.Invoke("is_set", new BuiltinContext(), SetValue.Create(1)));
    }
}
