using M = AgentFabric.Spiffe.Tests.SpiffeIdMessages;

namespace AgentFabric.Spiffe.Tests;

/// <summary>Named SPIFFE ID parsing vectors: (name, input, expected error or null when valid).</summary>
internal static class SpiffeIdVectors
{
    private static readonly string s_maxTrustDomain = new('a', 255);
    private static readonly string s_max2048 = "spiffe://example.org/" + new string('a', 2048 - 21);

    public static TheoryData<string, string, string?> All { get; } = new()
    {
        // Valid (SPIFFE-ID §2, §2.1, §2.2, §2.3)
        { "root ID", "spiffe://example.org", null },
        { "one segment", "spiffe://example.org/web", null },
        { "many segments", "spiffe://example.org/ns/prod/sa/web", null },
        { "uppercase path", "spiffe://example.org/Web/API", null },
        { "dots dashes underscores in path", "spiffe://example.org/a.b-c_d", null },
        { "dot inside segment", "spiffe://example.org/.hidden", null },
        { "triple dot segment", "spiffe://example.org/...", null },
        { "dot dot prefix segment", "spiffe://example.org/..a", null },
        { "digits only", "spiffe://1234/5678", null },
        { "dashes underscores dots in trust domain", "spiffe://a-b_c.d/x", null },
        { "IPv4 trust domain", "spiffe://10.0.0.1/x", null },
        { "uuid path", "spiffe://example.org/9eebccd2-12bf-40a6-b262-65fe0487d453", null },
        { "trust domain of 255 bytes", "spiffe://" + s_maxTrustDomain, null },
        { "ID of 2048 bytes", s_max2048, null },
        { "single char trust domain", "spiffe://a", null },
        { "trust domain of only dots", "spiffe://../x", null },

        // Empty / length (SPIFFE-ID §2, §2.3)
        { "empty", "", M.Empty },
        { "ID of 2049 bytes", s_max2048 + "a", M.TooLong },
        { "trust domain of 256 bytes", "spiffe://" + s_maxTrustDomain + "a", M.TrustDomainTooLong },

        // Scheme (SPIFFE-ID §2)
        { "no scheme", "example.org/web", M.WrongScheme },
        { "http scheme", "http://example.org/web", M.WrongScheme },
        { "https scheme", "https://example.org/web", M.WrongScheme },
        { "uppercase scheme", "SPIFFE://example.org/web", M.WrongScheme },
        { "mixed case scheme", "Spiffe://example.org/web", M.WrongScheme },
        { "scheme without slashes", "spiffe:example.org/web", M.WrongScheme },
        { "scheme with one slash", "spiffe:/example.org/web", M.WrongScheme },
        { "scheme only", "spiffe", M.WrongScheme },
        { "leading space", " spiffe://example.org/web", M.WrongScheme },
        { "spiffe prefix typo", "spife://example.org", M.WrongScheme },

        // Trust domain (SPIFFE-ID §2.1)
        { "missing trust domain", "spiffe://", M.MissingTrustDomain },
        { "missing trust domain with path", "spiffe:///web", M.MissingTrustDomain },
        { "uppercase trust domain", "spiffe://Example.org/web", M.BadTrustDomainChar },
        { "port", "spiffe://example.org:8080/web", M.Port },
        { "empty port", "spiffe://example.org:/web", M.Port },
        { "userinfo", "spiffe://user@example.org/web", M.Userinfo },
        { "userinfo with password", "spiffe://user:pass@example.org/web", M.Userinfo },
        { "percent-encoded trust domain", "spiffe://exa%6Dple.org/web", M.PercentEncoded },
        { "query after trust domain", "spiffe://example.org?a=b", M.Query },
        { "fragment after trust domain", "spiffe://example.org#frag", M.Fragment },
        { "IPv6 trust domain", "spiffe://[::1]/web", M.BadTrustDomainChar },
        { "space in trust domain", "spiffe://exam ple.org", M.BadTrustDomainChar },
        { "plus in trust domain", "spiffe://a+b.org", M.BadTrustDomainChar },
        { "tilde in trust domain", "spiffe://a~b.org", M.BadTrustDomainChar },
        { "non-ASCII trust domain", "spiffe://exämple.org", M.BadTrustDomainChar },
        { "backslash in trust domain", "spiffe://example.org\\web", M.BadTrustDomainChar },

        // Path (SPIFFE-ID §2.2)
        { "trailing slash on root", "spiffe://example.org/", M.TrailingSlash },
        { "trailing slash", "spiffe://example.org/web/", M.TrailingSlash },
        { "empty segment", "spiffe://example.org//web", M.EmptySegment },
        { "empty segment in middle", "spiffe://example.org/a//b", M.EmptySegment },
        { "double slash at end", "spiffe://example.org/a//", M.EmptySegment },
        { "dot segment", "spiffe://example.org/./web", M.DotSegment },
        { "dot segment at end", "spiffe://example.org/web/.", M.DotSegment },
        { "dot dot segment", "spiffe://example.org/../web", M.DotDotSegment },
        { "dot dot segment at end", "spiffe://example.org/web/..", M.DotDotSegment },
        { "dot dot segment alone", "spiffe://example.org/..", M.DotDotSegment },
        { "percent-encoded path", "spiffe://example.org/w%65b", M.PercentEncoded },
        { "percent-encoded slash", "spiffe://example.org/a%2Fb", M.PercentEncoded },
        { "query in path", "spiffe://example.org/web?x=1", M.Query },
        { "empty query", "spiffe://example.org/web?", M.Query },
        { "fragment in path", "spiffe://example.org/web#x", M.Fragment },
        { "empty fragment", "spiffe://example.org/web#", M.Fragment },
        { "space in path", "spiffe://example.org/we b", M.BadPathChar },
        { "colon in path", "spiffe://example.org/a:b", M.BadPathChar },
        { "at sign in path", "spiffe://example.org/a@b", M.BadPathChar },
        { "tilde in path", "spiffe://example.org/~web", M.BadPathChar },
        { "plus in path", "spiffe://example.org/a+b", M.BadPathChar },
        { "non-ASCII path", "spiffe://example.org/caf\u00e9", M.BadPathChar },
        { "NUL in path", "spiffe://example.org/a\0b", M.BadPathChar },
        { "newline in path", "spiffe://example.org/web\n", M.BadPathChar },
        { "backslash in path", "spiffe://example.org/a\\b", M.BadPathChar },
    };
}
