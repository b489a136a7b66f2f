using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.Jwt;

/// <summary>
/// The conformance catalogue's JV group (JWT-SVID validation), one named test per case. Tokens are ES256 with
/// <c>aud=["conformance"]</c>, a 5-minute <c>exp</c> and a <c>kid</c> in the bundle unless the case says otherwise.
/// </summary>
public class JwtSvidCatalogueTests
{
    internal static readonly JwtSvidValidationOptions Options = new() { TimeProvider = TestClock.Provider };

    [Fact]
    public void JV_01_ValidTokenAccepted_SubIsTheSpiffeId()
    {
        string token = TestToken.Valid().Sign();
        var svid = Validate(token);
        Assert.Equal(SpiffeId.Parse(JwtTestKeys.Subject), svid.Id);
        Assert.Equal([JwtTestKeys.Audience], svid.Audience);
        Assert.Equal(TestClock.Now.AddMinutes(5), svid.Expiry);
        Assert.Equal(TestClock.Now, svid.IssuedAt);
        Assert.Equal("ES256", svid.Algorithm);
        Assert.Equal("ec256", svid.KeyId);
        Assert.Equal(token, svid.Marshal());
        Assert.Equal(JwtTestKeys.Subject, svid.Claims.GetProperty("sub").GetString());
    }

    // JWT-SVID §2.1: all nine algorithms.
    [Theory]
    [InlineData("RS256")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    [InlineData("PS512")]
    public void JV_02_EverySupportedAlgAccepted(string alg)
    {
        var svid = Validate(TestToken.Valid(alg).Sign());
        Assert.Equal(alg, svid.Algorithm);
        Assert.Equal(JwtTestKeys.Subject, svid.Id.ToString());
    }

    [Fact]
    public void JV_03_AlgNoneRejected()
    {
        var token = TestToken.Valid();
        token.Header["alg"] = "none";
        AssertRejected(token.SigningInput() + ".", "jwtsvid: unsupported token signature algorithm \"none\"");
    }

    // Algorithm confusion: HMAC keyed with the bundle key's PEM public key must not verify anything.
    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public void JV_04_HmacRejected_EvenKeyedWithThePublicKeyPem(string alg)
    {
        var token = TestToken.Valid();
        token.Header["alg"] = alg;
        byte[] secret = Encoding.ASCII.GetBytes(JwtTestKeys.P256.ExportSubjectPublicKeyInfoPem());
        byte[] input = Encoding.ASCII.GetBytes(token.SigningInput());
        byte[] mac = alg switch
        {
            "HS256" => HMACSHA256.HashData(secret, input),
            "HS384" => HMACSHA384.HashData(secret, input),
            _ => HMACSHA512.HashData(secret, input),
        };
        AssertRejected(token.WithSignature(mac), $"jwtsvid: unsupported token signature algorithm \"{alg}\"");
    }

    // The Ed25519 key is in the published JWKS (and ignored there as an unknown kty); EdDSA is still not allowed.
    [Fact]
    public void JV_05_EdDsaRejected_EvenWithTheKeyInTheBundle()
    {
        string jwks = $$"""
            {"keys":[
              {"kty":"OKP","crv":"Ed25519","kid":"ed","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
              {{JwkJson.Of("ec256", JwtTestKeys.P256)}}
            ]}
            """;
        var bundle = JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.Equal(["ec256"], bundle.JwtAuthorities.Select(a => a.KeyId));
        var token = TestToken.Valid();
        token.Header["alg"] = "EdDSA";
        token.Header["kid"] = "ed";
        AssertRejected(token.WithSignature(new byte[64]), "jwtsvid: unsupported token signature algorithm \"EdDSA\"", bundle);
    }

    [Theory]
    [InlineData("RS256", "ec256", "jwtsvid: token algorithm \"RS256\" does not match authority \"ec256\" (EC P-256)")]
    [InlineData("ES384", "ec256", "jwtsvid: token algorithm \"ES384\" does not match authority \"ec256\" (EC P-256)")]
    [InlineData("ES256", "rsa", "jwtsvid: token algorithm \"ES256\" does not match authority \"rsa\" (RSA 2048)")]
    [InlineData("PS256", "ec521", "jwtsvid: token algorithm \"PS256\" does not match authority \"ec521\" (EC P-521)")]
    public void JV_06_AlgThatDoesNotMatchTheKeyRejected(string alg, string kid, string expected)
    {
        var token = TestToken.Valid(alg);
        token.Header["kid"] = kid;
        AssertRejected(token.Sign(), expected);
    }

    [Fact]
    public void JV_07_MissingAudRejected()
    {
        var token = TestToken.Valid();
        token.Payload.Remove("aud");
        AssertRejected(token.Sign(), "jwtsvid: token has no \"aud\" claim");
    }

    [Fact]
    public void JV_08_AudWithoutTheValidatorsAudienceRejected()
    {
        var token = TestToken.Valid();
        token.Payload["aud"] = new JsonArray("other", "spiffe://example.org/reports");
        AssertRejected(
            token.Sign(),
            "jwtsvid: expected audience in [\"conformance\"] (audience=[\"other\", \"spiffe://example.org/reports\"])");
    }

    [Fact]
    public void JV_09_AudArrayContainingTheAudienceAmongOthersAccepted()
    {
        var token = TestToken.Valid();
        token.Payload["aud"] = new JsonArray("other", "conformance");
        Assert.Equal(["other", "conformance"], Validate(token.Sign()).Audience);
    }

    // RFC 7519 §4.1.3: aud may be a single string.
    [Fact]
    public void JV_10_AudAsSingleStringAccepted()
    {
        var token = TestToken.Valid();
        token.Payload["aud"] = "conformance";
        Assert.Equal(["conformance"], Validate(token.Sign()).Audience);
    }

    [Fact]
    public void JV_11_MissingExpRejected()
    {
        var token = TestToken.Valid();
        token.Payload.Remove("exp");
        AssertRejected(token.Sign(), "jwtsvid: token has no \"exp\" claim");
    }

    [Fact]
    public void JV_12_ExpiredTokenRejected()
    {
        var token = TestToken.Valid();
        token.Payload["exp"] = TestClock.Now.AddMinutes(-5).ToUnixTimeSeconds();
        AssertRejected(token.Sign(), "jwtsvid: token has expired");
    }

    [Fact]
    public void JV_13_NbfInTheFutureRejected()
    {
        var token = TestToken.Valid();
        token.Payload["nbf"] = TestClock.Now.AddMinutes(5).ToUnixTimeSeconds();
        AssertRejected(token.Sign(), "jwtsvid: token is not valid yet");
    }

    [Fact]
    public void JV_14_TamperedSignatureRejected()
    {
        var token = TestToken.Valid();
        byte[] signature = TestToken.SignBytes("ES256", JwtTestKeys.P256, Encoding.ASCII.GetBytes(token.SigningInput()));
        Assert.NotNull(Validate(token.WithSignature(signature)));
        signature[17] ^= 0x01;
        AssertRejected(token.WithSignature(signature), "jwtsvid: token signature is invalid");
    }

    [Fact]
    public void JV_15_TamperedPayloadRejected()
    {
        var token = TestToken.Valid();
        string signed = token.Sign();
        token.Payload["sub"] = "spiffe://example.org/admin";
        string forged = token.SigningInput() + signed[signed.LastIndexOf('.')..];
        AssertRejected(forged, "jwtsvid: token signature is invalid");
    }

    [Fact]
    public void JV_16_UnknownKidRejected()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = TestToken.Valid();
        token.Header["kid"] = "not-in-bundle";
        AssertRejected(token.Sign(stranger), "jwtsvid: no JWT authority \"not-in-bundle\" found for trust domain \"example.org\"");
    }

    // Workload API §6.3: the key must come from the bundle of sub's trust domain, even when another bundle has it.
    [Fact]
    public void JV_17_SubInTrustDomainBSignedWithTrustDomainAKeyRejected()
    {
        var token = TestToken.Valid();
        token.Payload["sub"] = "spiffe://fed.example.org/impostor";
        AssertRejected(token.Sign(), "jwtsvid: no JWT authority \"ec256\" found for trust domain \"fed.example.org\"");
    }

    [Fact]
    public void JV_17_SubInTrustDomainBWithoutKidSignedWithTrustDomainAKeyRejected()
    {
        var token = TestToken.Valid();
        token.Payload["sub"] = "spiffe://fed.example.org/impostor";
        token.Header.Remove("kid");
        AssertRejected(
            token.Sign(),
            "jwtsvid: token has no \"kid\" and no JWT authority of trust domain \"fed.example.org\" verifies its signature");
    }

    [Fact]
    public void JV_18_SubTrustDomainWithoutBundleRejected()
    {
        var token = TestToken.Valid();
        token.Payload["sub"] = "spiffe://unknown.example/web";
        AssertRejected(
            token.Sign(),
            "jwtsvid: could not get JWT bundle: jwtbundle: no JWT bundle for trust domain \"unknown.example\"");
    }

    [Theory]
    [InlineData("web", "jwtsvid: claim \"sub\" is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")")]
    [InlineData("https://example.org/web", "jwtsvid: claim \"sub\" is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")")]
    [InlineData("spiffe://example.org/a/../b", "jwtsvid: claim \"sub\" is not a SPIFFE ID: spiffeid: path segment cannot be '..'")]
    [InlineData("spiffe://example.org:8080/web", "jwtsvid: claim \"sub\" is not a SPIFFE ID: spiffeid: port is not allowed")]
    [InlineData("", "jwtsvid: claim \"sub\" is not a SPIFFE ID: spiffeid: cannot be empty")]
    public void JV_19_SubThatIsNotASpiffeIdRejected(string sub, string expected)
    {
        var token = TestToken.Valid();
        token.Payload["sub"] = sub;
        AssertRejected(token.Sign(), expected);
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("JOSE")]
    [InlineData(null)]
    public void JV_20_TypJwtJoseOrAbsentAccepted(string? typ)
    {
        var token = TestToken.Valid();
        if (typ is null)
        {
            token.Header.Remove("typ");
        }
        else
        {
            token.Header["typ"] = typ;
        }

        Assert.Equal(JwtTestKeys.Subject, Validate(token.Sign()).Id.ToString());
    }

    [Theory]
    [InlineData("at+jwt")]
    [InlineData("jwt")]
    [InlineData("application/jwt")]
    [InlineData("")]
    public void JV_21_OtherTypRejected(string typ)
    {
        var token = TestToken.Valid();
        token.Header["typ"] = typ;
        AssertRejected(token.Sign(), $"jwtsvid: header \"typ\" is \"{typ}\"; only \"JWT\" or \"JOSE\" is allowed");
    }

    // JWT-SVID §2.2: kid is optional. The key is found by trying the bundle's keys (go-spiffe and SPIRE fail here).
    [Theory]
    [InlineData("ES256")]
    [InlineData("ES512")]
    [InlineData("PS256")]
    [InlineData("RS384")]
    public void JV_22_TokenWithoutKidAccepted(string alg)
    {
        var token = TestToken.Valid(alg);
        token.Header.Remove("kid");
        var svid = Validate(token.Sign());
        Assert.Null(svid.KeyId);
        Assert.Equal(JwtTestKeys.Subject, svid.Id.ToString());
    }

    // RFC 7515 §4.1.11
    [Fact]
    public void JV_23_UnknownCritRejected()
    {
        var token = TestToken.Valid();
        token.Header["crit"] = new JsonArray("urn:example:must-understand");
        token.Header["urn:example:must-understand"] = true;
        AssertRejected(token.Sign(), "jwtsvid: header \"crit\" names extensions this validator does not understand");
    }

    // JWT-SVID §1, §5.1
    [Fact]
    public void JV_24_JwsJsonSerializationRejected()
    {
        string compact = TestToken.Valid().Sign();
        var parts = compact.Split('.');
        string json = new JsonObject
        {
            ["payload"] = parts[1],
            ["protected"] = parts[0],
            ["signature"] = parts[2],
        }.ToJsonString();
        AssertRejected(json, "jwtsvid: token uses JWS JSON serialization; a JWT-SVID uses compact serialization");
        string general = $$"""{"payload":"{{parts[1]}}","signatures":[{"protected":"{{parts[0]}}","signature":"{{parts[2]}}"}]}""";
        AssertRejected(general, "jwtsvid: token uses JWS JSON serialization; a JWT-SVID uses compact serialization");
    }

    [Theory]
    [InlineData("onlyonepart", "jwtsvid: token has 1 dot-separated parts, expected 3 (JWS compact serialization)")]
    [InlineData("two.parts", "jwtsvid: token has 2 dot-separated parts, expected 3 (JWS compact serialization)")]
    [InlineData("a.b.c.d.e", "jwtsvid: token has 5 dot-separated parts, expected 3 (JWS compact serialization)")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9=.e30.AA", "jwtsvid: header is not base64url")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.e30+.AA", "jwtsvid: payload is not base64url")]
    [InlineData("bm90IGpzb24.e30.AA", "jwtsvid: header is not valid JSON")]
    [InlineData("WzFd.e30.AA", "jwtsvid: header is not a JSON object")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.AA", "jwtsvid: payload is not valid JSON")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.WzFd.AA", "jwtsvid: payload is not a JSON object")]
    [InlineData("", "jwtsvid: token is empty")]
    public void JV_25_MalformedCompactTokenRejected(string token, string expected) => AssertRejected(token, expected);

    internal static JwtSvid Validate(string token, IJwtBundleSource? source = null) =>
        JwtSvid.Parse(token, source ?? JwtTestKeys.Bundles(), [JwtTestKeys.Audience], Options);

    internal static void AssertRejected(string token, string expected, IJwtBundleSource? source = null)
    {
        var ex = Assert.Throws<JwtSvidException>(() => Validate(token, source));
        Assert.Equal(expected, ex.Message);
        Assert.False(JwtSvid.TryParse(token, source ?? JwtTestKeys.Bundles(), [JwtTestKeys.Audience], Options, out var svid, out var error));
        Assert.Null(svid);
        Assert.Equal(expected, error);
    }
}
