using System.Numerics;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Values;

public class ValueEqualityTests
{
    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("100", "1e2")]
    [InlineData("-0", "0")]
    [InlineData("18446744073709551616", "1.8446744073709551616e19")]
    [InlineData("{\"a\": [1, 2], \"b\": null}", "{\"b\": null, \"a\": [1.0, 2]}")]
    public void Equal_ByValue_WithEqualHashes(string left, string right)
    {
        var a = Value.ParseJson(left);
        var b = Value.ParseJson(right);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
    }

    [Fact]
    public void Sets_EqualRegardlessOfInsertionOrder()
    {
        var a = SetValue.Create(1, "x", ArrayValue.Create(1, 2));
        var b = SetValue.Create(ArrayValue.Create(1, 2), "x", 1, 1);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(3, b.Count);
    }

    [Fact]
    public void ObjectLookup_ByValueAndByString()
    {
        var b = new ObjectValue.Builder();
        for (var i = 0; i < 50; i++)
        {
            b.Set("k" + i, i);
        }

        b.Set(NumberValue.Create(7), "seven");
        var o = b.ToValue();
        Assert.Equal(51, o.Count);
        Assert.True(o.TryGetValue("k42", out var v));
        Assert.Equal(NumberValue.Create(42), v);
        Assert.Equal(StringValue.Create("seven"), o.Get(NumberValue.Parse("7.0")));
        Assert.Null(o.Get("missing"));
        Assert.False(o.ContainsKey(StringValue.Create("k50")));
    }

    [Fact]
    public void SetOperations()
    {
        var a = SetValue.Create(1, 2, 3);
        var b = SetValue.Create(2, 3, 4);
        Assert.Equal(SetValue.Create(2, 3), a.Intersect(b));
        Assert.Equal(SetValue.Create(1, 2, 3, 4), a.Union(b));
        Assert.Equal(SetValue.Create(1), a.Except(b));
    }

    [Fact]
    public void BigIntegers_StayExact()
    {
        var big = NumberValue.Parse("123456789012345678901234567890");
        Assert.False(big.IsInt64);
        Assert.Equal(NumberValue.Parse("123456789012345678901234567891"), NumberValue.Add(big, NumberValue.One));
        Assert.Equal("36893488147419103234", NumberValue.Multiply(NumberValue.Parse("18446744073709551617"), NumberValue.Create(2)).ToString());
        Assert.Equal(NumberValue.Create(long.MaxValue), NumberValue.Subtract(NumberValue.Add(NumberValue.Create(long.MaxValue), NumberValue.One), NumberValue.One));
        Assert.True(NumberValue.Add(NumberValue.Create(long.MaxValue), NumberValue.One).TryGetBigInteger(out var r));
        Assert.Equal(new BigInteger(long.MaxValue) + 1, r);
    }

    [Theory]
    [InlineData("1.5", "2.5", "4")]
    [InlineData("1", "2.5", "3.5")]
    [InlineData("0.1", "0.2", "0.30000000000000004")]
    public void Add_Floats(string a, string b, string expected) =>
        Assert.Equal(expected, NumberValue.Add(NumberValue.Parse(a), NumberValue.Parse(b)).ToString());

    [Theory]
    [InlineData(10, 4, "2.5")]
    [InlineData(8, 4, "2")]
    [InlineData(1, 3, "0.3333333333333333")]
    public void Divide(long a, long b, string expected) =>
        Assert.Equal(expected, NumberValue.Divide(NumberValue.Create(a), NumberValue.Create(b))!.ToString());

    [Theory]
    [InlineData("10", "18446744073709551616", "10")]
    [InlineData("100", "-18446744073709551616", "100")]
    [InlineData("18446744073709551617", "18446744073709551616", "1")]
    [InlineData("-7", "2", "-1")]
    public void Remainder_Truncated(string a, string b, string expected) =>
        Assert.Equal(expected, NumberValue.Remainder(NumberValue.Parse(a), NumberValue.Parse(b))!.ToString());

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(123456.5, "123456.5")]
    [InlineData(1234567.5, "1.2345675e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.25, "-2.25")]
    public void FloatText_LikeGo(double d, string expected) => Assert.Equal(expected, NumberValue.Create(d).ToString());
}
