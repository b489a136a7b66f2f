using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

/// <summary>The set builder: duplicates collapse whether found by the scan of a small set (cached hashes) or by
/// the hash set that takes over beyond it, across a reset too.</summary>
public class SetValueBuilderTests
{
    private static Value V(string json) => Value.ParseJson(json);

    [Fact]
    public void DuplicatesCollapseInSmallAndLargeSets()
    {
        var b = new SetValue.Builder();
        string[] items = ["1", "1.0", "\"a\"", "{\"k\": [1, 2]}", "[1, 2]", "null", "true"];
        foreach (var item in items)
        {
            Assert.True(b.Add(V(item)) || item == "1.0");
        }

        // Equal values built separately are duplicates; 1.0 equals 1.
        Assert.False(b.Add(V("{\"k\": [1, 2]}")));
        Assert.False(b.Add(V("1")));
        Assert.Equal(6, b.Count);

        // Past the scan, a hash set finds them.
        for (var i = 0; i < 20; i++)
        {
            Assert.True(b.Add(NumberValue.Create(100 + i)));
        }

        Assert.False(b.Add(NumberValue.Create(105)));
        Assert.False(b.Add(V("[1, 2]")));
        Assert.True(b.Contains(V("\"a\"")));
        Assert.False(b.Contains(V("\"b\"")));
        Assert.Equal(26, b.Count);
        Assert.Equal(26, b.ToValue().Count);
    }

    [Fact]
    public void AResetBuilderStartsEmpty()
    {
        var b = new SetValue.Builder();
        b.Add(V("\"x\""));
        b.Add(V("\"y\""));
        Assert.True(b.Reset());
        Assert.Equal(0, b.Count);
        Assert.False(b.Contains(V("\"x\"")));
        Assert.True(b.Add(V("\"y\"")));
        Assert.Equal("[\"y\"]", b.ToValue().ToJson());
    }
}
