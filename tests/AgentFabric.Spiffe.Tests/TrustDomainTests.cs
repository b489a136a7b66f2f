using M = AgentFabric.Spiffe.Tests.SpiffeIdMessages;

namespace AgentFabric.Spiffe.Tests;

public class TrustDomainTests
{
    [Theory]
    [InlineData("example.org", "example.org")]
    [InlineData("spiffe://example.org", "example.org")]
    [InlineData("spiffe://example.org/ignored/path", "example.org")]
    [InlineData("a_b-c.1", "a_b-c.1")]
    public void Parse_AcceptsNameOrIdForm(string input, string name)
    {
        var td = TrustDomain.Parse(input);
        Assert.Equal(name, td.Name);
        Assert.Equal(name, td.ToString());
        Assert.Equal("spiffe://" + name, td.IdString);
        Assert.Equal("spiffe://" + name, td.Id.ToString());
        Assert.True(td.Id.IsRoot);
        Assert.True(TrustDomain.TryParse(input, out var again, out var error));
        Assert.Null(error);
        Assert.Equal(td, again);
    }

    [Theory]
    [InlineData("", M.MissingTrustDomain)]
    [InlineData("Example.org", M.BadTrustDomainChar)]
    [InlineData("example.org:80", M.Port)]
    [InlineData("user@example.org", M.Userinfo)]
    [InlineData("exa%6Dple", M.PercentEncoded)]
    [InlineData("example.org/path", M.BadTrustDomainChar)]
    [InlineData("spiffe://example.org:80", M.Port)]
    [InlineData("spiffe://", M.MissingTrustDomain)]
    [InlineData("https://example.org", M.WrongScheme)]
    [InlineData("spiffe://example.org/", M.TrailingSlash)]
    public void Parse_Rejects(string input, string message)
    {
        Assert.Equal(message, Assert.Throws<SpiffeIdException>(() => TrustDomain.Parse(input)).Message);
        Assert.False(TrustDomain.TryParse(input, out var td, out var error));
        Assert.Equal(message, error);
        Assert.True(td.IsZero);
        Assert.False(TrustDomain.TryParse(input.AsSpan(), out _));
    }

    [Fact]
    public void Parse_255Bytes_Accepted_256Rejected()
    {
        Assert.True(TrustDomain.TryParse(new string('a', 255), out _));
        Assert.Equal(
            M.TrustDomainTooLong,
            Assert.Throws<SpiffeIdException>(() => TrustDomain.Parse(new string('a', 256))).Message);
    }

    [Fact]
    public void Equality_AndZeroValue()
    {
        var a = TrustDomain.Parse("example.org");
        var b = TrustDomain.Parse("spiffe://example.org/x");
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != TrustDomain.Parse("example.com"));
        TrustDomain zero = default;
        Assert.True(zero.IsZero);
        Assert.Equal(string.Empty, zero.Name);
        Assert.Equal(string.Empty, zero.IdString);
        Assert.True(zero.Id.IsZero);
        Assert.Throws<ArgumentNullException>(() => TrustDomain.Parse((string)null!));
        Assert.False(TrustDomain.TryParse((string?)null, out _));
    }

    [Fact]
    public void Contains_ChecksMembership()
    {
        var td = TrustDomain.Parse("example.org");
        Assert.True(td.Contains(SpiffeId.Parse("spiffe://example.org/a")));
        Assert.False(td.Contains(SpiffeId.Parse("spiffe://example.org.evil/a")));
    }

    // The name cache behind SpiffeId.TrustDomain is bounded; beyond it names are still correct, just not shared.
    [Fact]
    public void TrustDomainOfId_IsCorrectBeyondTheNameCache()
    {
        for (int i = 0; i < 3000; i++)
        {
            var id = SpiffeId.Parse($"spiffe://td{i}.example/web");
            Assert.Equal($"td{i}.example", id.TrustDomain.Name);
            Assert.True(id.IsMemberOf(id.TrustDomain));
        }

        var a = SpiffeId.Parse("spiffe://td2999.example/a").TrustDomain;
        Assert.Equal(TrustDomain.Parse("td2999.example"), a);
    }
}
