using System.Security.Cryptography;
using System.Text;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Svid.Jwt;
using static AgentFabric.Spiffe.Tests.Svid.Jwt.JwtSvidCatalogueTests;

namespace AgentFabric.Spiffe.Tests.Bundles.Jwt;

/// <summary>
/// The conformance catalogue's JB group (JWT bundles), one named test per case. A "streamed update" is what the
/// Workload API client does with each FetchJWTBundles message: parse the JWKS and replace the trust domain's bundle.
/// </summary>
public class JwtBundleCatalogueTests
{
    private static readonly ECDsa s_k1 = JwtTestKeys.P256;
    private static readonly ECDsa s_k2 = JwtTestKeys.P256Second;
    private static readonly ECDsa s_k3 = JwtTestKeys.P256Third;

    [Fact]
    public void JB_1_KeyAddedByStreamedUpdateIsPickedUp()
    {
        var set = new JwtBundleSet(Jwks(("k1", s_k1)));
        string token = Token("k2", s_k2);
        AssertRejected(token, "jwtsvid: no JWT authority \"k2\" found for trust domain \"example.org\"", set);

        set.Add(Jwks(("k1", s_k1), ("k2", s_k2)));
        Assert.Equal(JwtTestKeys.Subject, Validate(token, set).Id.ToString());
    }

    [Fact]
    public void JB_2_KeyRemovedByStreamedUpdateIsNoLongerAccepted()
    {
        var set = new JwtBundleSet(Jwks(("k1", s_k1), ("k2", s_k2)));
        string token = Token("k2", s_k2);
        string withoutKid = Token(null, s_k2);
        Assert.NotNull(Validate(token, set));
        Assert.NotNull(Validate(withoutKid, set));

        set.Add(Jwks(("k1", s_k1)));
        AssertRejected(token, "jwtsvid: no JWT authority \"k2\" found for trust domain \"example.org\"", set);
        AssertRejected(
            withoutKid,
            "jwtsvid: token has no \"kid\" and no JWT authority of trust domain \"example.org\" verifies its signature",
            set);
    }

    [Fact]
    public void JB_3_TrustDomainWhoseBundleWasRemovedIsNoLongerAccepted()
    {
        var set = new JwtBundleSet(Jwks(("k1", s_k1)), JwtTestKeys.FederatedBundle());
        string token = Token("k1", s_k1);
        Assert.NotNull(Validate(token, set));

        // A Workload API update is the complete state: a message without example.org removes it (Workload API §4.4).
        set.Set([JwtTestKeys.FederatedBundle()]);
        AssertRejected(token, "jwtsvid: could not get JWT bundle: jwtbundle: no JWT bundle for trust domain \"example.org\"", set);
    }

    // RFC 7515 §4.1.4: kid selects the key; the third key does not verify a token signed by the second.
    [Fact]
    public void JB_4_KidSelectsTheKeyAmongSeveral()
    {
        var bundle = Jwks(("k1", s_k1), ("k2", s_k2), ("k3", s_k3));
        Assert.Equal("k2", Validate(Token("k2", s_k2), bundle).KeyId);
        AssertRejected(Token("k3", s_k2), "jwtsvid: token signature is invalid", bundle);
        AssertRejected(Token("k1", s_k2), "jwtsvid: token signature is invalid", bundle);
    }

    // JWT-SVID §6.2: only use=jwt-svid keys verify JWT-SVIDs.
    [Fact]
    public void JB_5_KeyWithX509SvidUseIsIgnored_OtherKeysKeepWorking()
    {
        string jwks = $$"""{"keys":[{{JwkJson.Of("x", s_k1, use: "x509-svid")}},{{JwkJson.Of("j", s_k2, use: "jwt-svid")}}]}""";
        var bundle = JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.Equal(["j"], bundle.JwtAuthorities.Select(a => a.KeyId));

        AssertRejected(Token("x", s_k1), "jwtsvid: no JWT authority \"x\" found for trust domain \"example.org\"", bundle);
        AssertRejected(
            Token(null, s_k1),
            "jwtsvid: token has no \"kid\" and no JWT authority of trust domain \"example.org\" verifies its signature",
            bundle);
        Assert.Equal("j", Validate(Token("j", s_k2), bundle).KeyId);
    }

    // Bundle §4.2.2 ignores a JWK without use in a SPIFFE bundle; the Workload API's JWT bundle is a
    // plain JWK Set (Workload API §6.2.2), where SPIRE omits use, so there such a key is a JWT-SVID key.
    [Fact]
    public void JB_5_KeyWithoutUse_IgnoredInSpiffeBundle_JwtKeyInWorkloadApiJwks()
    {
        string jwks = $$"""{"keys":[{{JwkJson.Of("nouse", s_k1)}},{{JwkJson.Of("j", s_k2, use: "jwt-svid")}}]}""";
        var spiffeBundle = SpiffeBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.Equal(["j"], spiffeBundle.JwtAuthorities.Select(a => a.KeyId));
        AssertRejected(Token("nouse", s_k1), "jwtsvid: no JWT authority \"nouse\" found for trust domain \"example.org\"", spiffeBundle);

        var jwtBundle = JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.Equal(["nouse", "j"], jwtBundle.JwtAuthorities.Select(a => a.KeyId));
    }

    // Bundle §4.2.1, §4.1.3
    [Fact]
    public void JB_6_UnknownKtyIsIgnored_RestOfBundleKept()
    {
        string jwks = $$"""
            {"keys":[
              {"kty":"OKP","crv":"Ed25519","kid":"ed","use":"jwt-svid","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
              {"kty":"oct","kid":"hmac","use":"jwt-svid","k":"c2VjcmV0"},
              {"kty":"EC","crv":"secp256k1","kid":"k256","use":"jwt-svid","x":"AA","y":"AA"},
              {"kty":"PQC-FUTURE","kid":"pq","use":"jwt-svid"},
              {{JwkJson.Of("k1", s_k1, use: "jwt-svid")}}
            ]}
            """;
        foreach (IJwtBundleSource source in new IJwtBundleSource[]
        {
            JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks)),
            SpiffeBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks)),
        })
        {
            Assert.Equal(["k1"], source.GetJwtBundleForTrustDomain(JwtTestKeys.ExampleOrg).JwtAuthorities.Select(a => a.KeyId));
            Assert.Equal("k1", Validate(Token("k1", s_k1), source).KeyId);
        }
    }

    // Bundle §4.1.3: an empty key set (or one with no usable JWT key) trusts nothing.
    [Theory]
    [InlineData("""{"keys":[]}""")]
    [InlineData("""{"spiffe_sequence":3,"keys":[]}""")]
    [InlineData("""{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed","use":"jwt-svid","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}""")]
    public void JB_7_EmptyKeysTrustNothing(string jwks)
    {
        var bundle = JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.True(bundle.IsEmpty);
        AssertRejected(Token("k1", s_k1), "jwtsvid: JWT bundle for trust domain \"example.org\" is empty", bundle);
        AssertRejected(Token(null, s_k1), "jwtsvid: JWT bundle for trust domain \"example.org\" is empty", bundle);
        var spiffe = SpiffeBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(jwks));
        Assert.True(spiffe.IsEmpty);
        AssertRejected(Token("k1", s_k1), "jwtsvid: JWT bundle for trust domain \"example.org\" is empty", spiffe);
    }

    // Workload API §6.2.2, §6.3: a federated trust domain's tokens verify with that trust domain's bundle.
    [Fact]
    public void JB_8_TokenFromFederatedTrustDomainAccepted()
    {
        var token = TestToken.Valid();
        token.Header["kid"] = "fed";
        token.Payload["sub"] = "spiffe://fed.example.org/partner";
        string signed = token.Sign(JwtTestKeys.FederatedKey);

        Assert.Equal("spiffe://fed.example.org/partner", Validate(signed, JwtTestKeys.Bundles()).Id.ToString());
        var spiffeSet = new SpiffeBundleSet(
            SpiffeBundle.FromJwtBundle(JwtTestKeys.Bundle()), SpiffeBundle.FromJwtBundle(JwtTestKeys.FederatedBundle()));
        Assert.Equal("spiffe://fed.example.org/partner", Validate(signed, spiffeSet).Id.ToString());
        AssertRejected(
            signed,
            "jwtsvid: could not get JWT bundle: jwtbundle: no JWT bundle for trust domain \"fed.example.org\"",
            JwtTestKeys.Bundle());
    }

    private static JwtBundle Jwks(params (string Kid, ECDsa Key)[] keys)
    {
        string json = "{\"keys\":[" + string.Join(",", keys.Select(k => JwkJson.Of(k.Kid, k.Key))) + "]}";
        return JwtBundle.Parse(JwtTestKeys.ExampleOrg, Encoding.UTF8.GetBytes(json));
    }

    private static string Token(string? kid, ECDsa key)
    {
        var token = TestToken.Valid();
        if (kid is null)
        {
            token.Header.Remove("kid");
        }
        else
        {
            token.Header["kid"] = kid;
        }

        return token.Sign(key);
    }
}
