using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;
using static AgentFabric.Spiffe.Tests.Svid.Jwt.JwtSvidCatalogueTests;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>Minting JWT-SVIDs and reading them back.</summary>
public class JwtSvidMintTests
{
    private static readonly SpiffeId s_subject = SpiffeId.Parse(JwtTestKeys.Subject);

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    public void Mint_RoundTripsThroughParse(string alg)
    {
        var (kid, key) = JwtTestKeys.For(alg);
        var minted = JwtSvid.Mint(s_subject, ["conformance"], TestClock.Now.AddMinutes(5), new JwtSigningKey(key, alg, kid), TestClock.Provider);
        var parsed = Validate(minted.Token);
        Assert.Equal(s_subject, parsed.Id);
        Assert.Equal(alg, parsed.Algorithm);
        Assert.Equal(kid, parsed.KeyId);
        Assert.Equal(minted.Expiry, parsed.Expiry);
        Assert.Equal(TestClock.Now, parsed.IssuedAt);
        Assert.Equal(minted.Claims.GetRawText(), parsed.Claims.GetRawText());
    }

    [Fact]
    public void Mint_WritesTheExpectedHeaderAndClaims()
    {
        var extra = new Dictionary<string, JsonElement> { ["jti"] = JsonDocument.Parse("\"id-1\"").RootElement };
        var minted = JwtSvid.Mint(
            s_subject, ["a", "b"], TestClock.Now.AddMinutes(5), JwtSigningKey.Create(JwtTestKeys.P256, "ec256"), TestClock.Provider, extra);
        var parts = minted.Token.Split('.');
        Assert.Equal("""{"alg":"ES256","kid":"ec256","typ":"JWT"}""", Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[0]))));
        Assert.Equal(
            """{"sub":"spiffe://example.org/web","aud":["a","b"],"exp":1780315500,"iat":1780315200,"jti":"id-1"}""",
            Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1]))));
        Assert.Equal(86, parts[2].Length); // 64-byte R || S
        Assert.Equal(["a", "b"], minted.Audience);
    }

    [Theory]
    [InlineData(new[] { "a" }, false, "[\"a\"]")]
    [InlineData(new[] { "a" }, true, "\"a\"")]
    [InlineData(new[] { "a", "b" }, true, "[\"a\",\"b\"]")]
    public void Mint_SingleAudienceAsString_WritesOneValueAsAString(string[] audience, bool asString, string expectedAud)
    {
        var extra = new Dictionary<string, JsonElement> { ["iss"] = JsonDocument.Parse("\"spiffe://example.org\"").RootElement };
        var minted = JwtSvid.Mint(
            s_subject, audience, TestClock.Now.AddMinutes(5), JwtSigningKey.Create(JwtTestKeys.P256, "ec256"), TestClock.Provider, extra, asString);
        Assert.Equal(
            $$"""{"sub":"spiffe://example.org/web","aud":{{expectedAud}},"exp":1780315500,"iat":1780315200,"iss":"spiffe://example.org"}""",
            Encoding.UTF8.GetString(Convert.FromBase64String(Pad(minted.Token.Split('.')[1]))));
        Assert.Equal(audience, minted.Audience);
        Assert.Equal(audience, JwtSvid.Parse(minted.Token, JwtTestKeys.Bundles(), [audience[0]], Options).Audience);
    }

    [Fact]
    public void Mint_WithoutKid_VerifiesByTryingTheBundleKeys()
    {
        var minted = JwtSvid.Mint(
            s_subject, ["conformance"], TestClock.Now.AddMinutes(1), JwtSigningKey.Create(JwtTestKeys.P384, keyId: null), TestClock.Provider);
        Assert.DoesNotContain("kid", Encoding.UTF8.GetString(Convert.FromBase64String(Pad(minted.Token.Split('.')[0]))), StringComparison.Ordinal);
        Assert.Null(Validate(minted.Token).KeyId);
    }

    [Fact]
    public void SigningKey_PublishesItsAuthority()
    {
        var signingKey = new JwtSigningKey(JwtTestKeys.Rsa, "PS512", "k1");
        var authority = signingKey.ToJwtAuthority();
        Assert.Equal("k1", authority.KeyId);
        Assert.Equal("RSA", authority.KeyType);
        Assert.True(authority.SupportsAlgorithm("PS512"));
        Assert.False(authority.SupportsAlgorithm("ES256"));
        Assert.Throws<InvalidOperationException>(() => JwtSigningKey.Create(JwtTestKeys.P256, null).ToJwtAuthority());
    }

    [Theory]
    [InlineData("HS256", "jwtsvid: unsupported token signature algorithm \"HS256\" (Parameter 'algorithm')")]
    [InlineData("none", "jwtsvid: unsupported token signature algorithm \"none\" (Parameter 'algorithm')")]
    [InlineData("ES384", "jwtsvid: algorithm \"ES384\" does not fit the EC P-256 key (Parameter 'algorithm')")]
    [InlineData("RS256", "jwtsvid: algorithm \"RS256\" does not fit the EC P-256 key (Parameter 'algorithm')")]
    public void SigningKey_RejectsAlgorithmsThatDoNotFit(string alg, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => new JwtSigningKey(JwtTestKeys.P256, alg, "k"));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void SigningKey_RejectsOtherCurvesAndEmptyKid()
    {
        using var brainpool = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);
        Assert.Throws<ArgumentException>(() => JwtSigningKey.Create(brainpool, "k"));
        Assert.Throws<ArgumentException>(() => new JwtSigningKey(JwtTestKeys.P256, "ES256", ""));
    }

    [Fact]
    public void Mint_RejectsCallerBugs()
    {
        var key = JwtSigningKey.Create(JwtTestKeys.P256, "ec256");
        var later = TestClock.Now.AddMinutes(5);
        Assert.Equal(
            "jwtsvid: the audience needs at least one value and no empty value (Parameter 'audience')",
            Assert.Throws<ArgumentException>(() => JwtSvid.Mint(s_subject, [], later, key, TestClock.Provider)).Message);
        Assert.Throws<ArgumentException>(() => JwtSvid.Mint(s_subject, [""], later, key, TestClock.Provider));
        Assert.Equal(
            "jwtsvid: the expiry is not after the issue time (Parameter 'expiresAt')",
            Assert.Throws<ArgumentException>(() => JwtSvid.Mint(s_subject, ["a"], TestClock.Now, key, TestClock.Provider)).Message);
        Assert.Throws<ArgumentException>(() => JwtSvid.Mint(default, ["a"], later, key, TestClock.Provider));
        var extra = new Dictionary<string, JsonElement> { ["sub"] = JsonDocument.Parse("\"spiffe://example.org/admin\"").RootElement };
        Assert.Equal(
            "jwtsvid: extra claim \"sub\" would override a JWT-SVID claim (Parameter 'extraClaims')",
            Assert.Throws<ArgumentException>(() => JwtSvid.Mint(s_subject, ["a"], later, key, TestClock.Provider, extra)).Message);
    }

    [Fact]
    public void MintedTokenOfAnotherTrustDomainKeyIsRejected()
    {
        var minted = JwtSvid.Mint(
            s_subject, ["conformance"], TestClock.Now.AddMinutes(5), new JwtSigningKey(JwtTestKeys.FederatedKey, "ES256", "fed"), TestClock.Provider);
        AssertRejected(minted.Token, "jwtsvid: no JWT authority \"fed\" found for trust domain \"example.org\"");
        var onlyFederated = new JwtBundleSet(JwtTestKeys.FederatedBundle());
        AssertRejected(
            minted.Token,
            "jwtsvid: could not get JWT bundle: jwtbundle: no JWT bundle for trust domain \"example.org\"",
            onlyFederated);
    }

    private static string Pad(string b64Url)
    {
        string s = b64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
