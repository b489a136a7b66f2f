using System.Text.Json;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

public class ValueJsonTests
{
    [Theory]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("[1,2.5,\"x\",[],{}]")]
    [InlineData("{\"a\":{\"b\":[null,false]},\"c\":\"\\u00e9\"}")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("-18446744073709551617")]
    public void RoundTrip(string json)
    {
        var v = Value.ParseJson(json);
        Assert.Equal(json.Replace("\\u00e9", "é", StringComparison.Ordinal), v.ToJson());
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(v, Value.FromJson(doc.RootElement));
    }

    [Fact]
    public void ObjectsSerializeInKeyOrder() =>
        Assert.Equal("{\"a\":1,\"b\":2}", Value.ParseJson("{\"b\":2,\"a\":1}").ToJson());

    [Fact]
    public void SetsSerializeAsSortedArrays() =>
        Assert.Equal("[1,\"a\",[1]]", SetValue.Create(ArrayValue.Create(1), "a", 1).ToJson());

    [Fact]
    public void NonStringKeysSerializeAsTermText()
    {
        var b = new ObjectValue.Builder();
        b.Set(NumberValue.Create(1), "a");
        b.Set(ArrayValue.Create(ArrayValue.Create(7)), 2);
        Assert.Equal("{\"1\":\"a\",\"[[7]]\":2}", b.ToValue().ToJson());
    }

    [Theory]
    [InlineData("{\"a\": [1, \"x\\n\"], \"b\": set()}", "{\"a\":[1,\"x\\n\"]}")]
    public void TermText_LikeOpa(string expected, string json)
    {
        var o = (ObjectValue)Value.ParseJson(json);
        Assert.Equal(expected, o.With("b", SetValue.Empty).ToString());
    }

    [Theory]
    [InlineData("\u00a0", "\"\\u00a0\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("é\"\\", "\"é\\\"\\\\\"")]
    public void StringTermText_QuotedLikeGo(string s, string expected) => Assert.Equal(expected, StringValue.Create(s).ToString());
}
