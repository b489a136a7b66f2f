using M = AgentFabric.Spiffe.Tests.SpiffeIdMessages;

namespace AgentFabric.Spiffe.Tests;

/// <summary>The conformance catalogue's ID group, one named test per case.</summary>
public class SpiffeIdCatalogueTests
{
    // SPIFFE-ID §2.1: port must be empty.
    [Fact]
    public void ID_PortRejected() => AssertRejected("spiffe://example.org:443/web", M.Port);

    // SPIFFE-ID §2.1: userinfo must be empty.
    [Fact]
    public void ID_UserinfoRejected() => AssertRejected("spiffe://admin@example.org/web", M.Userinfo);

    // SPIFFE-ID §2: no query component.
    [Fact]
    public void ID_QueryRejected() => AssertRejected("spiffe://example.org/web?x=y", M.Query);

    // SPIFFE-ID §2: no fragment component.
    [Fact]
    public void ID_FragmentRejected() => AssertRejected("spiffe://example.org/web#top", M.Fragment);

    // SPIFFE-ID §2.1, §2.2: no percent-encoded characters.
    [Fact]
    public void ID_PercentEncodingRejected()
    {
        AssertRejected("spiffe://example.org/w%65b", M.PercentEncoded);
        AssertRejected("spiffe://ex%61mple.org/web", M.PercentEncoded);
    }

    // SPIFFE-ID §2.2: no empty segments.
    [Fact]
    public void ID_DoubleSlashRejected() => AssertRejected("spiffe://example.org/a//b", M.EmptySegment);

    // SPIFFE-ID §2.2: no '.' segments.
    [Fact]
    public void ID_DotSegmentRejected() => AssertRejected("spiffe://example.org/a/./b", M.DotSegment);

    // SPIFFE-ID §2.2: no '..' segments.
    [Fact]
    public void ID_DotDotSegmentRejected() => AssertRejected("spiffe://example.org/a/../b", M.DotDotSegment);

    // SPIFFE-ID §2.2: no trailing '/'.
    [Fact]
    public void ID_TrailingSlashRejected() => AssertRejected("spiffe://example.org/a/", M.TrailingSlash);

    // SPIFFE-ID §2.1 and §2.2: limited character sets.
    [Fact]
    public void ID_BadCharactersRejected()
    {
        AssertRejected("spiffe://Example.org/web", M.BadTrustDomainChar);
        AssertRejected("spiffe://exa$mple.org/web", M.BadTrustDomainChar);
        AssertRejected("spiffe://example.org/w$b", M.BadPathChar);
        AssertRejected("spiffe://example.org/w\u00e9b", M.BadPathChar);
    }

    // SPIFFE-ID §2: the scheme is "spiffe".
    [Fact]
    public void ID_WrongSchemeRejected() => AssertRejected("https://example.org/web", M.WrongScheme);

    // SPIFFE-ID §2: a non-zero trust domain name.
    [Fact]
    public void ID_EmptyTrustDomainRejected() => AssertRejected("spiffe:///web", M.MissingTrustDomain);

    // SPIFFE-ID §2.3: a 2048-byte ID must be supported.
    [Fact]
    public void ID_MaxLength2048Accepted()
    {
        string id = "spiffe://example.org/" + new string('x', 2048 - "spiffe://example.org/".Length);
        Assert.Equal(2048, id.Length);
        Assert.Equal(id, SpiffeId.Parse(id).ToString());
    }

    // SPIFFE-ID §2.3: 255-byte trust domain is the longest.
    [Fact]
    public void ID_TrustDomain255Accepted_256Rejected()
    {
        Assert.Equal(255, TrustDomain.Parse(new string('t', 255)).Name.Length);
        AssertRejected("spiffe://" + new string('t', 256), M.TrustDomainTooLong);
    }

    private static void AssertRejected(string input, string message)
    {
        Assert.Equal(message, Assert.Throws<SpiffeIdException>(() => SpiffeId.Parse(input)).Message);
    }
}
