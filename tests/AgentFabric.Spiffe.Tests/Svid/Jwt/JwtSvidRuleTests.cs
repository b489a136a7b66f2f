using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;
using static AgentFabric.Spiffe.Tests.Svid.Jwt.JwtSvidCatalogueTests;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>Rules beyond the catalogue: each header and claim rule of JWT-SVID §2-§5 with its exact error text.</summary>
public class JwtSvidRuleTests
{
    // Each vector changes one thing in a valid ES256 token (header or payload as raw JSON) and names the error.
    public static TheoryData<string, string, string> HeaderAndClaimVectors => new()
    {
        // RFC 7515 §4: duplicate header parameters.
        { """{"alg":"ES256","alg":"ES256","kid":"ec256"}""", Payload, "jwtsvid: header has duplicate parameter \"alg\"" },
        { """{"alg":"ES256","kid":"ec256","kid":"rsa"}""", Payload, "jwtsvid: header has duplicate parameter \"kid\"" },
        { """{"alg":"ES256","typ":"JWT","typ":"JWT"}""", Payload, "jwtsvid: header has duplicate parameter \"typ\"" },
        { """{"kid":"ec256"}""", Payload, "jwtsvid: header has no \"alg\"" },
        { """{"alg":null}""", Payload, "jwtsvid: header \"alg\" is not a string" },
        { """{"alg":"es256"}""", Payload, "jwtsvid: unsupported token signature algorithm \"es256\"" },
        { """{"alg":"ES256K"}""", Payload, "jwtsvid: unsupported token signature algorithm \"ES256K\"" },
        { """{"alg":"RSA-OAEP"}""", Payload, "jwtsvid: unsupported token signature algorithm \"RSA-OAEP\"" },

        // JWT-SVID §2: no other header, registered or private.
        { """{"alg":"ES256","kid":"ec256","jku":"https://attacker.example/jwks"}""", Payload, "jwtsvid: header parameter \"jku\" is not allowed in a JWT-SVID" },
        { """{"alg":"ES256","kid":"ec256","jwk":{"kty":"EC"}}""", Payload, "jwtsvid: header parameter \"jwk\" is not allowed in a JWT-SVID" },
        { """{"alg":"ES256","kid":"ec256","x5u":"https://attacker.example/c"}""", Payload, "jwtsvid: header parameter \"x5u\" is not allowed in a JWT-SVID" },
        { """{"alg":"ES256","kid":"ec256","b64":false}""", Payload, "jwtsvid: header parameter \"b64\" is not allowed in a JWT-SVID" },
        { """{"alg":"ES256","typ":7}""", Payload, "jwtsvid: header \"typ\" is not a string" },
        { """{"alg":"ES256","kid":42}""", Payload, "jwtsvid: header \"kid\" is not a string" },
        { """{"alg":"ES256","kid":""}""", Payload, "jwtsvid: header \"kid\" is empty" },
        { """{"alg":"ES256","kid":"ec256"} x""", Payload, "jwtsvid: header is not valid JSON" },

        // RFC 7519 §4 and JWT-SVID §3.
        { Header, """{"sub":"spiffe://example.org/web","sub":"spiffe://example.org/admin","aud":"conformance","exp":1780315500}""", "jwtsvid: payload has duplicate claim \"sub\"" },
        { Header, """{"aud":"conformance","exp":1780315500}""", "jwtsvid: token has no \"sub\" claim" },
        { Header, """{"sub":["spiffe://example.org/web"],"aud":"conformance","exp":1780315500}""", "jwtsvid: claim \"sub\" is not a string" },
        { Header, """{"sub":"spiffe://example.org/web","aud":7,"exp":1780315500}""", "jwtsvid: claim \"aud\" is not a string or an array of strings" },
        { Header, """{"sub":"spiffe://example.org/web","aud":["conformance",7],"exp":1780315500}""", "jwtsvid: claim \"aud\" is not a string or an array of strings" },
        { Header, """{"sub":"spiffe://example.org/web","aud":[],"exp":1780315500}""", "jwtsvid: claim \"aud\" has no values" },
        { Header, """{"sub":"spiffe://example.org/web","aud":"conformance","exp":"1780315500"}""", "jwtsvid: claim \"exp\" is not a NumericDate" },
        { Header, """{"sub":"spiffe://example.org/web","aud":"conformance","exp":1780315500,"nbf":"soon"}""", "jwtsvid: claim \"nbf\" is not a NumericDate" },
        { Header, """{"sub":"spiffe://example.org/web","aud":"conformance","exp":1780315500,"iat":true}""", "jwtsvid: claim \"iat\" is not a NumericDate" },
        { Header, """{"sub":"spiffe://example.org/web","aud":"CONFORMANCE","exp":1780315500}""", "jwtsvid: expected audience in [\"conformance\"] (audience=[\"CONFORMANCE\"])" },
        { Header, """{"sub":"spiffe://example.org/web","aud":"conformance","exp":1780315500} []""", "jwtsvid: payload is not valid JSON" },
    };

    private const string Header = """{"alg":"ES256","kid":"ec256","typ":"JWT"}""";

    // exp = TestClock.Now + 5 min
    private const string Payload = """{"sub":"spiffe://example.org/web","aud":"conformance","exp":1780315500}""";

    [Fact]
    public void Vectors_BaseTokenIsValid()
    {
        Assert.Equal(1780315500, TestClock.Now.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal(JwtTestKeys.Subject, Validate(SignRaw(Header, Payload)).Id.ToString());
    }

    [Theory]
    [MemberData(nameof(HeaderAndClaimVectors))]
    public void HeaderAndClaimRules(string header, string payload, string expected) =>
        AssertRejected(SignRaw(header, payload), expected);

    // RFC 7518 §3.4: an ECDSA signature is R || S at full width; the DER form is refused.
    [Fact]
    public void EcdsaSignatureInDerFormRejected()
    {
        var token = TestToken.Valid();
        byte[] der = JwtTestKeys.P256.SignData(
            Encoding.ASCII.GetBytes(token.SigningInput()), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        AssertRejected(token.WithSignature(der), "jwtsvid: token signature is invalid");
    }

    [Fact]
    public void EmptySignatureRejected() =>
        AssertRejected(TestToken.Valid().SigningInput() + ".", "jwtsvid: token signature is invalid");

    [Theory]
    [InlineData("A")]
    [InlineData("AB=")]
    [InlineData("AB CD")]
    [InlineData("AB+/")]
    public void SignatureThatIsNotBase64UrlRejected(string signature) =>
        AssertRejected(TestToken.Valid().SigningInput() + "." + signature, "jwtsvid: signature is not base64url");

    // A token signed by a different key under a kid that is in the bundle.
    [Fact]
    public void SignedByAnotherKeyUnderAKnownKidRejected()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AssertRejected(TestToken.Valid().Sign(stranger), "jwtsvid: token signature is invalid");
    }

    [Fact]
    public void WithoutKidAndNoKeyForTheAlgorithmRejected()
    {
        var bundle = new JwtBundle(JwtTestKeys.ExampleOrg, [new JwtAuthority("rsa", JwtTestKeys.Rsa)]);
        var token = TestToken.Valid();
        token.Header.Remove("kid");
        AssertRejected(
            token.Sign(),
            "jwtsvid: token has no \"kid\" and trust domain \"example.org\" has no JWT authority for algorithm \"ES256\"",
            bundle);
    }

    // RFC 7519 §4.1.4: valid while now < exp; exp itself is already too late.
    [Fact]
    public void ExpEqualToNowRejected_OneSecondBeforeAccepted()
    {
        var token = TestToken.Valid();
        token.Payload["exp"] = TestClock.Now.ToUnixTimeSeconds();
        AssertRejected(token.Sign(), "jwtsvid: token has expired");
        token.Payload["exp"] = TestClock.Now.ToUnixTimeSeconds() + 1;
        Assert.NotNull(Validate(token.Sign()));
    }

    [Fact]
    public void NbfEqualToNowAccepted()
    {
        var token = TestToken.Valid();
        token.Payload["nbf"] = TestClock.Now.ToUnixTimeSeconds();
        Assert.Equal(TestClock.Now, Validate(token.Sign()).NotBefore);
    }

    // RFC 7519 §2: NumericDate may be fractional.
    [Fact]
    public void FractionalExpAccepted()
    {
        var token = TestToken.Valid();
        token.Payload["exp"] = TestClock.Now.ToUnixTimeSeconds() + 0.5;
        Assert.Equal(TestClock.Now.AddMilliseconds(500), Validate(token.Sign()).Expiry);
    }

    [Fact]
    public void ClockSkew_AcceptsWithinLeeway_RejectsBeyond()
    {
        var token = TestToken.Valid();
        token.Payload["exp"] = TestClock.Now.AddSeconds(-20).ToUnixTimeSeconds();
        token.Payload["nbf"] = TestClock.Now.AddSeconds(20).ToUnixTimeSeconds();
        string signed = token.Sign();
        var lenient = Options with { ClockSkew = TimeSpan.FromSeconds(30) };
        Assert.NotNull(JwtSvid.Parse(signed, JwtTestKeys.Bundles(), [JwtTestKeys.Audience], lenient));
        var strict = Options with { ClockSkew = TimeSpan.FromSeconds(10) };
        var ex = Assert.Throws<JwtSvidException>(() => JwtSvid.Parse(signed, JwtTestKeys.Bundles(), [JwtTestKeys.Audience], strict));
        Assert.Equal("jwtsvid: token has expired", ex.Message);
    }

    [Fact]
    public void ExpectedAudienceAnyOfSeveralMatches()
    {
        var svid = JwtSvid.Parse(TestToken.Valid().Sign(), JwtTestKeys.Bundles(), ["a", "conformance"], Options);
        Assert.Equal(JwtTestKeys.Subject, svid.Id.ToString());
    }

    [Fact]
    public void CallerBugs_ThrowArgumentExceptions()
    {
        string token = TestToken.Valid().Sign();
        Assert.Throws<ArgumentException>(() => JwtSvid.Parse(token, JwtTestKeys.Bundles(), [], Options));
        Assert.Throws<ArgumentException>(() => JwtSvid.Parse(token, JwtTestKeys.Bundles(), ["a"], Options with { ClockSkew = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<ArgumentNullException>(() => JwtSvid.Parse(null!, JwtTestKeys.Bundles(), ["a"], Options));
        Assert.Throws<ArgumentNullException>(() => JwtSvid.Parse(token, null!, ["a"], Options));
    }

    [Fact]
    public void ExtraClaimsAreKept()
    {
        var token = TestToken.Valid();
        token.Payload["jti"] = "abc";
        token.Payload["act"] = new JsonObject { ["sub"] = "spiffe://example.org/frontend" };
        var svid = Validate(token.Sign());
        Assert.Equal("abc", svid.Claims.GetProperty("jti").GetString());
        Assert.Equal("spiffe://example.org/frontend", svid.Claims.GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public void ParseInsecure_SkipsTheSignatureOnly()
    {
        var token = TestToken.Valid();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        token.Header["kid"] = "unknown";
        var svid = JwtSvid.ParseInsecure(token.Sign(stranger), [JwtTestKeys.Audience], Options);
        Assert.Equal(JwtTestKeys.Subject, svid.Id.ToString());

        token.Payload["exp"] = TestClock.Now.AddMinutes(-1).ToUnixTimeSeconds();
        var expired = Assert.Throws<JwtSvidException>(() => JwtSvid.ParseInsecure(token.Sign(stranger), [JwtTestKeys.Audience], Options));
        Assert.Equal("jwtsvid: token has expired", expired.Message);

        token.Header["alg"] = "none";
        Assert.False(JwtSvid.TryParseInsecure(token.SigningInput() + ".", [JwtTestKeys.Audience], Options, out _, out var error));
        Assert.Equal("jwtsvid: unsupported token signature algorithm \"none\"", error);
    }

    [Fact]
    public void ToString_NeverShowsTheToken()
    {
        var svid = Validate(TestToken.Valid().Sign());
        Assert.Equal("JWT-SVID spiffe://example.org/web (expires 2026-06-01 12:05:00Z)", svid.ToString());
    }

    [Fact]
    public void WithHint_KeepsEverythingElse()
    {
        var svid = Validate(TestToken.Valid().Sign());
        var hinted = svid.WithHint("internal");
        Assert.Equal("internal", hinted.Hint);
        Assert.Equal(svid.Token, hinted.Token);
        Assert.Null(svid.Hint);
    }

    // RFC 7518 §3.3, §3.5: RSA keys under 2048 bits MUST NOT be used, whether named by kid or found by trial.
    [Fact]
    public void RsaKeyUnder2048BitsRejected()
    {
        using var weak = RSA.Create(1024);
        var bundle = new JwtBundle(JwtTestKeys.ExampleOrg, [new JwtAuthority("weak", weak)]);
        var token = TestToken.Valid("RS256");
        token.Header["kid"] = "weak";
        AssertRejected(token.Sign(weak), "jwtsvid: authority \"weak\" is an RSA key of 1024 bits; RS* and PS* need 2048 or more", bundle);
        token.Header.Remove("kid");
        AssertRejected(
            token.Sign(weak),
            "jwtsvid: token has no \"kid\" and trust domain \"example.org\" has no JWT authority for algorithm \"RS256\"",
            bundle);
        Assert.Throws<ArgumentException>(() => new JwtSigningKey(weak, "RS256", "weak"));
    }

    // Bundles and keys are shared by every request of a server.
    [Fact]
    public void ConcurrentValidationWithOneBundleSet()
    {
        var bundles = JwtTestKeys.Bundles();
        string[] tokens = new[] { "ES256", "ES384", "RS256", "PS512" }.Select(alg => TestToken.Valid(alg).Sign()).ToArray();
        string withoutKid = TestToken.Valid().Sign();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 400, i =>
        {
            string token = i % 5 == 4 ? withoutKid : tokens[i % 4];
            if (!JwtSvid.TryParse(token, bundles, [JwtTestKeys.Audience], Options, out _, out var error))
            {
                failures.Add(error);
            }
        });
        Assert.Empty(failures);
    }

    private static string SignRaw(string header, string payload)
    {
        string input = TestToken.B64(header) + "." + TestToken.B64(payload);
        return input + "." + TestToken.B64(TestToken.SignBytes("ES256", JwtTestKeys.P256, Encoding.ASCII.GetBytes(input)));
    }
}
