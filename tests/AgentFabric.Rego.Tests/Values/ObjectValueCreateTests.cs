using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

/// <summary><see cref="ObjectValue.Create(ReadOnlySpan{ValueTuple{string, Value}})"/>: small objects are sorted by
/// insertion, larger ones through the builder; both must give the same object.</summary>
public sealed class ObjectValueCreateTests
{
    [Fact]
    public void Small_SortedByUtf8Order_LaterDuplicateReplaces()
    {
        var obj = ObjectValue.Create(("z", 1), ("a", 2), ("é", 3), ("Z", 4), ("a", 5), ("", 6));
        Assert.Equal("{\"\": 6, \"Z\": 4, \"a\": 5, \"z\": 1, \"é\": 3}", obj.ToString());
        Assert.Equal(5, obj.Count);
        Assert.True(obj.TryGetValue("a", out var a));
        Assert.Equal(5, a);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    public void AnySize_EqualsTheBuildersObject(int size)
    {
        var entries = Enumerable.Range(0, size).Select(i => ($"k{(i * 7919) % size:D3}", (Value)i)).ToArray();
        var builder = new ObjectValue.Builder();
        foreach (var (k, v) in entries)
        {
            builder.Set(k, v);
        }

        var created = ObjectValue.Create(entries);
        Assert.Equal(builder.ToValue(), created);
        Assert.Equal(builder.ToValue().ToString(), created.ToString());
        foreach (var (k, v) in entries)
        {
            Assert.True(created.TryGetValue(k, out var found));
            Assert.Equal(v, found);
        }
    }

    [Fact]
    public void Empty_IsTheEmptyObject() => Assert.Same(ObjectValue.Empty, ObjectValue.Create());

    [Fact]
    public void NullKey_Throws() => Assert.Throws<ArgumentNullException>(() => ObjectValue.Create(("a", 1), (null!, 2)));
}
