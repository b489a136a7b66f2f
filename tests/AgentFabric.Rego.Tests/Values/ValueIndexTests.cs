using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

/// <summary>Lookups in objects and sets through their hash index: every key is found at its own entry, absent keys
/// are not, for a linear scan (small collections) and the hash table (large ones), with string keys (also given as
/// plain text), numbers (1.0 finds 1) and composite keys.</summary>
public class ValueIndexTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1000)]
    public void ObjectsFindEveryKeyAndNoOther(int size)
    {
        var b = new ObjectValue.Builder();
        for (var i = 0; i < size; i++)
        {
            b.Set(StringValue.Create($"key{i}"), NumberValue.Create(i));
            b.Set(NumberValue.Create(i * 1024), StringValue.Create($"n{i}"));
            b.Set(ArrayValue.CreateRange([NumberValue.Create(i), StringValue.Create("x")]), BooleanValue.Create(i % 2 == 0));
        }

        var o = b.ToValue();
        Assert.Equal(3 * size, o.Count);
        for (var i = 0; i < size; i++)
        {
            Assert.Equal(NumberValue.Create(i), o.Get(StringValue.Create($"key{i}")));
            Assert.Equal(NumberValue.Create(i), o.Get($"key{i}"));
            Assert.Equal(StringValue.Create($"n{i}"), o.Get(Value.ParseJson($"{i * 1024}.0")));
            Assert.Equal(BooleanValue.Create(i % 2 == 0), o.Get(Value.ParseJson($"[{i}, \"x\"]")));
        }

        Assert.Null(o.Get("key-1"));
        Assert.Null(o.Get(StringValue.Create($"key{size}")));
        Assert.Null(o.Get(NumberValue.Create(1)));
        Assert.Null(o.Get(Value.ParseJson("[0, \"y\"]")));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1000)]
    public void SetsFindEveryMemberAndNoOther(int size)
    {
        var members = Enumerable.Range(0, size).Select(i => (Value)StringValue.Create($"spiffe://example.org/agent/{i:D4}")).ToArray();
        var set = SetValue.Create(members);
        foreach (var m in members)
        {
            Assert.True(set.Contains(StringValue.Create(((StringValue)m).Value)));
        }

        Assert.False(set.Contains(StringValue.Create("spiffe://example.org/agent/x")));
        Assert.False(set.Contains(NumberValue.Create(0)));
    }
}
