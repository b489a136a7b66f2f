using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

public class ValueOrderingTests
{
    // Each list is in strictly ascending OPA order (ast.Compare).
    public static TheoryData<string, string> AscendingPairs => new()
    {
        { "null", "false" },
        { "false", "true" },
        { "true", "-1" },
        { "-1", "0.5" },
        { "0.5", "1" },
        { "1", "1.5" },
        { "9223372036854775807", "9223372036854775808" },
        { "-9223372036854775809", "-9223372036854775808" },
        { "1e400", "\"\"" },
        { "-1e400", "-1" },
        { "\"a\"", "\"b\"" },
        { "\"a\"", "\"aa\"" },
        { "\"z\"", "[]" },
        { "[1]", "[1, 1]" },
        { "[1, 2]", "[2]" },
        { "[]", "{}" },
        { "{\"a\": 1}", "{\"a\": 2}" },
        { "{\"a\": 9}", "{\"b\": 0}" },
        { "{\"a\": 1}", "{\"a\": 1, \"b\": 0}" },
    };

    [Theory]
    [MemberData(nameof(AscendingPairs))]
    public void Compare_OrdersLikeOpa(string lower, string higher)
    {
        var a = Value.ParseJson(lower);
        var b = Value.ParseJson(higher);
        Assert.Equal(-1, Math.Sign(a.CompareTo(b)));
        Assert.Equal(1, Math.Sign(b.CompareTo(a)));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Compare_ObjectBeforeSet()
    {
        Assert.True(ObjectValue.Empty < SetValue.Empty);
        Assert.True(SetValue.Create(1) < SetValue.Create(1, 2));
        Assert.True(SetValue.Create(1, 3) > SetValue.Create(1, 2, 9));
    }

    [Fact]
    public void Compare_StringsByUtf8Bytes()
    {
        // U+FF61 is E000-FFFF (3 UTF-8 bytes); U+1F600 is a surrogate pair (4 bytes): UTF-8 order puts the emoji last
        // while UTF-16 code-unit order would put it first.
        Value bmp = "\uFF61";
        Value astral = "\U0001F600";
        Assert.True(bmp < astral);
    }

    [Fact]
    public void SetsAndObjectKeys_AreSorted()
    {
        var set = SetValue.Create("b", 3, "a", 1, 3);
        Assert.Equal("{1, 3, \"a\", \"b\"}", set.ToString());
        var obj = ObjectValue.Create(("z", 1), ("a", 2));
        Assert.Equal("{\"a\": 2, \"z\": 1}", obj.ToString());
    }
}
