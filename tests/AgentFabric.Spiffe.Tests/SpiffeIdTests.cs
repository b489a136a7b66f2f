using M = AgentFabric.Spiffe.Tests.SpiffeIdMessages;

namespace AgentFabric.Spiffe.Tests;

public class SpiffeIdTests
{
    private static readonly TrustDomain s_td = TrustDomain.Parse("example.org");

    [Fact]
    public void Parts_AreExposed()
    {
        var id = SpiffeId.Parse("spiffe://example.org/ns/prod");
        Assert.Equal(s_td, id.TrustDomain);
        Assert.Equal("/ns/prod", id.Path);
        Assert.Equal("/ns/prod", id.PathSpan.ToString());
        Assert.False(id.IsRoot);
        Assert.False(id.IsZero);
        Assert.True(id.IsMemberOf(s_td));
        Assert.False(id.IsMemberOf(TrustDomain.Parse("example.com")));
        Assert.False(id.IsMemberOf(TrustDomain.Parse("example.or")));
        Assert.False(id.IsMemberOf(default));
    }

    [Fact]
    public void RootId_HasEmptyPath()
    {
        var id = SpiffeId.Parse("spiffe://example.org");
        Assert.True(id.IsRoot);
        Assert.Equal(string.Empty, id.Path);
        Assert.Equal(s_td.Id, id);
    }

    [Fact]
    public void ZeroValue_IsEmpty()
    {
        SpiffeId id = default;
        Assert.True(id.IsZero);
        Assert.Equal(string.Empty, id.ToString());
        Assert.True(id.TrustDomain.IsZero);
        Assert.False(id.IsRoot);
        Assert.Throws<InvalidOperationException>(() => id.AppendPath("/a"));
    }

    [Fact]
    public void Equality_IsOrdinalOnTheString()
    {
        var a = SpiffeId.Parse("spiffe://example.org/web");
        var b = SpiffeId.Parse(new string("spiffe://example.org/web".AsSpan()));
        var c = SpiffeId.Parse("spiffe://example.org/Web");
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.False(a.Equals((object)"spiffe://example.org/web"));
        Assert.Single(new HashSet<SpiffeId> { a, b });
    }

    [Fact]
    public void FromSegments_JoinsSegments()
    {
        Assert.Equal("spiffe://example.org/ns/prod/sa/web", SpiffeId.FromSegments(s_td, "ns", "prod", "sa", "web").ToString());
        Assert.Equal("spiffe://example.org", SpiffeId.FromSegments(s_td).ToString());
    }

    [Theory]
    [InlineData("", M.EmptySegment)]
    [InlineData(".", M.DotSegment)]
    [InlineData("..", M.DotDotSegment)]
    [InlineData("a/b", M.BadPathChar)]
    [InlineData("a%2F", M.PercentEncoded)]
    public void FromSegments_RejectsBadSegment(string segment, string message) =>
        Assert.Equal(message, Assert.Throws<SpiffeIdException>(() => SpiffeId.FromSegments(s_td, "ok", segment)).Message);

    [Fact]
    public void FromPath_Validates()
    {
        Assert.Equal("spiffe://example.org/a/b", SpiffeId.FromPath(s_td, "/a/b").ToString());
        Assert.Equal("/a/b", SpiffeId.FromPath(s_td, "/a/b").Path);
        Assert.Equal("spiffe://example.org", SpiffeId.FromPath(s_td, "").ToString());
        Assert.Equal(M.NoLeadingSlash, Assert.Throws<SpiffeIdException>(() => SpiffeId.FromPath(s_td, "a")).Message);
        Assert.Equal(M.TrailingSlash, Assert.Throws<SpiffeIdException>(() => SpiffeId.FromPath(s_td, "/a/")).Message);
        Assert.Equal(
            M.TooLong,
            Assert.Throws<SpiffeIdException>(() => SpiffeId.FromPath(s_td, "/" + new string('a', 2048))).Message);
        Assert.Throws<ArgumentException>(() => SpiffeId.FromPath(default, "/a"));
        Assert.Throws<ArgumentNullException>(() => SpiffeId.FromPath(s_td, null!));
    }

    [Fact]
    public void ReplaceAndAppend_KeepTheTrustDomain()
    {
        var id = SpiffeId.Parse("spiffe://example.org/a");
        Assert.Equal("spiffe://example.org/b/c", id.ReplacePath("/b/c").ToString());
        Assert.Equal("spiffe://example.org/a/b/c", id.AppendPath("/b/c").ToString());
        Assert.Equal("spiffe://example.org/x/y", id.ReplaceSegments("x", "y").ToString());
        Assert.Equal("spiffe://example.org/a/x", id.AppendSegments("x").ToString());
        Assert.Equal("spiffe://example.org/a", id.AppendPath(string.Empty).ToString());
        Assert.Equal(M.NoLeadingSlash, Assert.Throws<SpiffeIdException>(() => id.AppendPath("b")).Message);
        Assert.Equal(M.DotDotSegment, Assert.Throws<SpiffeIdException>(() => id.AppendSegments("..")).Message);
    }

    [Fact]
    public void Parsable_WorksThroughGenericInterfaces()
    {
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/a"), ParseGeneric<SpiffeId>("spiffe://example.org/a"));
        Assert.Equal(s_td, ParseGeneric<TrustDomain>("example.org"));
        Assert.False(TryParseGeneric<SpiffeId>("spiffe://example.org/a/"));
        Assert.False(TryParseGeneric<TrustDomain>("Example.org"));
    }

    private static T ParseGeneric<T>(string s)
        where T : ISpanParsable<T> => T.Parse(s.AsSpan(), provider: null);

    private static bool TryParseGeneric<T>(string s)
        where T : IParsable<T> => T.TryParse(s, provider: null, out _);
}

