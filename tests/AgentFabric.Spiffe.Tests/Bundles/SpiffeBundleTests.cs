using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Jose;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles;

/// <summary>The SPIFFE bundle format (Bundle §4, X509-SVID §6, JWT-SVID §6) as JSON vectors.</summary>
public class SpiffeBundleTests
{
    private static readonly TrustDomain s_td = TestPki.ExampleOrg;

    public static TheoryData<string, string> InvalidBundles => new()
    {
        { "not json", "spiffebundle: JWKS is not valid JSON (line 1, byte 2)" },
        { """{"keys":[]""", "spiffebundle: JWKS is not valid JSON (line 1, byte 11)" },
        { "[]", "spiffebundle: JWKS is not a JSON object" },
        { "{}", "spiffebundle: JWKS has no \"keys\" member" },                                          // §4.1.3
        { """{"keys":{}}""", "spiffebundle: JWKS member \"keys\" is not an array" },
        { """{"keys":[],"keys":[]}""", "spiffebundle: JWKS has duplicate member \"keys\"" },            // §6.3
        { """{"keys":[1]}""", "spiffebundle: key 0 is not a JSON object" },
        { """{"keys":[{"use":"jwt-svid","kid":"a"}]}""", "spiffebundle: key 0 has no \"kty\" string" },  // §4.2.1
        { """{"keys":[{"kty":7,"use":"jwt-svid","kid":"a"}]}""", "spiffebundle: key 0 has no \"kty\" string" },
        { """{"keys":[{"kty":"EC","kty":"RSA","use":"jwt-svid"}]}""", "spiffebundle: key 0 has duplicate member \"kty\"" },
        { """{"keys":[{"kty":"EC","use":5}]}""", "spiffebundle: key 0 has a \"use\" that is not a string" },
        { """{"keys":[{"use":"jwt-svid",$K1}]}""", "spiffebundle: key 0 is a JWT-SVID key without a \"kid\"" },  // JWT-SVID §6.1
        { """{"keys":[{"use":"jwt-svid","kid":"",$K1}]}""", "spiffebundle: key 0 is a JWT-SVID key without a \"kid\"" },
        { """{"keys":[{"use":"jwt-svid","kid":"a",$K1},{"use":"jwt-svid","kid":"a",$K2}]}""", "spiffebundle: key 1 has duplicate key ID \"a\"" },
        { """{"keys":[{"use":"jwt-svid","kid":"a","kty":"EC","crv":"P-256","x":"AAAA","y":"AAAA"}]}""", "spiffebundle: key 0 (kid \"a\"): \"x\" is 3 bytes long, expected 32" },
        { """{"keys":[{"use":"jwt-svid","kid":"a","kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}""", "spiffebundle: key 0 (kid \"a\"): EC point is not on curve P-256" },
        { """{"keys":[{"use":"jwt-svid","kid":"a","kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}]}""", "spiffebundle: key 0 (kid \"a\"): missing \"y\"" },
        { """{"keys":[{"use":"jwt-svid","kid":"a","kty":"EC","x":"AA","y":"AA"}]}""", "spiffebundle: key 0 (kid \"a\"): missing \"crv\"" },
        { """{"keys":[{"use":"jwt-svid","kid":"a","kty":"EC","crv":"P-256","x":"AA==","y":"AA"}]}""", "spiffebundle: key 0 (kid \"a\"): \"x\" is not base64url" },
        { """{"keys":[{"use":"jwt-svid","kid":"r","kty":"RSA","n":"AQAB"}]}""", "spiffebundle: key 0 (kid \"r\"): missing \"e\"" },
        { """{"keys":[{"use":"jwt-svid","kid":"r","kty":"RSA","n":"AAEAAQ","e":"AQAB"}]}""", "spiffebundle: key 0 (kid \"r\"): RSA parameter \"n\" has a leading zero octet" },
        { """{"keys":[{"use":"jwt-svid","kid":"a",$K1,"d":"AAAA"}]}""", "spiffebundle: key 0 (kid \"a\"): contains private key parameter \"d\"" },
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":"$ROOT"}]}""", "spiffebundle: key 0 has an \"x5c\" that is not an array" },
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":["!!!"]}]}""", "spiffebundle: key 0 has an \"x5c\" whose first value is not base64" },
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":[7]}]}""", "spiffebundle: key 0 has an \"x5c\" whose first value is not base64" },
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":["AAAA"]}]}""", "spiffebundle: key 0 has an \"x5c\" whose first value is not a DER certificate" },
        { """{"spiffe_sequence":-1,"keys":[]}""", "spiffebundle: \"spiffe_sequence\" is not a non-negative 64-bit integer" },   // §4.1.1
        { """{"spiffe_sequence":1.5,"keys":[]}""", "spiffebundle: \"spiffe_sequence\" is not a non-negative 64-bit integer" },
        { """{"spiffe_sequence":"1","keys":[]}""", "spiffebundle: \"spiffe_sequence\" is not a non-negative 64-bit integer" },
        { """{"spiffe_sequence":18446744073709551616,"keys":[]}""", "spiffebundle: \"spiffe_sequence\" is not a non-negative 64-bit integer" },
        { """{"spiffe_refresh_hint":-5,"keys":[]}""", "spiffebundle: \"spiffe_refresh_hint\" is not a non-negative integer number of seconds" },  // §4.1.2
        { """{"spiffe_refresh_hint":0.5,"keys":[]}""", "spiffebundle: \"spiffe_refresh_hint\" is not a non-negative integer number of seconds" },
    };

    // (vector, X.509 authorities as "root"/"foreign", JWT key IDs, sequence, refresh hint seconds)
    public static TheoryData<string, string, string, long, long> ValidBundles => new()
    {
        { """{"keys":[]}""", "", "", -1, -1 },
        { """{"spiffe_sequence":1,"spiffe_refresh_hint":2419200,"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]}]}""", "root", "", 1, 2419200 },
        { """{"spiffe_sequence":0,"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]},{"kty":"EC","use":"x509-svid","x5c":["$FOREIGN"]}]}""", "root,foreign", "", 0, -1 },
        { """{"keys":[{"use":"jwt-svid","kid":"a",$K1},{"use":"jwt-svid","kid":"b",$RSA}]}""", "", "a,b", -1, -1 },
        // X509-SVID §6.2: only the first x5c value counts; an entry without x5c, or with an empty one, is ignored.
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT","not even base64!"]}]}""", "root", "", -1, -1 },
        { """{"keys":[{"kty":"EC","use":"x509-svid"},{"kty":"EC","use":"x509-svid","x5c":[]},{"kty":"RSA","use":"x509-svid","x5c":["$FOREIGN"]}]}""", "foreign", "", -1, -1 },
        // §4.2.2: use is case-sensitive; missing or unknown use, ignore the JWK.
        { """{"keys":[{"use":"JWT-SVID","kid":"a",$K1},{"kid":"b",$K1},{"use":"sig","kid":"c",$K1},{"use":"jwt-svid","kid":"d",$K2}]}""", "", "d", -1, -1 },
        // §4.2.1: unknown key types are ignored, for both uses.
        { """{"keys":[{"kty":"OKP","use":"x509-svid","x5c":["$FOREIGN"]},{"kty":"oct","use":"jwt-svid","kid":"h","k":"c2VjcmV0"},{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]}]}""", "root", "", -1, -1 },
        // §4.2.1 before JWT-SVID §6.1: an unknown key type or curve is ignored even without kid.
        { """{"keys":[{"kty":"OKP","use":"jwt-svid","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},{"kty":"EC","crv":"P-192","use":"jwt-svid","x":"AA","y":"AA"}]}""", "", "", -1, -1 },
        // §4.1: unknown members are allowed anywhere.
        { """{"spiffe_future":{"x":[1,2]},"keys":[{"use":"jwt-svid","kid":"a","alg":"ES256","x5t":"abc",$K1}]}""", "", "a", -1, -1 },
        { """{"spiffe_sequence":18446744073709551615,"spiffe_refresh_hint":0,"keys":[]}""", "", "", long.MinValue, 0 },
        // A repeated X.509 authority is one authority (the bundle is a union, X509-SVID §6.2).
        { """{"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]},{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]}]}""", "root", "", -1, -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidBundles))]
    public void Parse_RejectsInvalidBundles(string vector, string expected)
    {
        var ex = Assert.Throws<SpiffeBundleException>(() => SpiffeBundle.Parse(s_td, BundleJson.Expand(vector)));
        Assert.Equal(expected, ex.Message);
        Assert.False(SpiffeBundle.TryParse(s_td, BundleJson.Expand(vector), out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [MemberData(nameof(ValidBundles))]
    public void Parse_ReadsValidBundles(string vector, string x509, string kids, long sequence, long refreshHint)
    {
        var bundle = SpiffeBundle.Parse(s_td, BundleJson.Expand(vector));
        var roots = x509.Length == 0 ? [] : x509.Split(',').Select(n => n == "root" ? TestPki.Root.PublicCertificate : TestPki.ForeignRoot.PublicCertificate);
        Assert.Equal(roots.Select(c => c.Thumbprint), bundle.X509Authorities.Select(c => c.Thumbprint));
        Assert.Equal(kids.Length == 0 ? [] : kids.Split(','), bundle.JwtAuthorities.Select(a => a.KeyId));
        Assert.Equal(sequence == -1 ? null : sequence == long.MinValue ? ulong.MaxValue : (ulong)sequence, bundle.SequenceNumber);
        Assert.Equal(refreshHint == -1 ? null : TimeSpan.FromSeconds(refreshHint), bundle.RefreshHint);

        // Every valid bundle round-trips through Marshal.
        var again = SpiffeBundle.Parse(s_td, bundle.Marshal());
        Assert.True(bundle.ContentEquals(again));
        Assert.Equal(bundle.Marshal(), again.Marshal());
    }

    [Fact]
    public void Marshal_WritesTheSpecFormat()
    {
        var bundle = new SpiffeBundle(
            s_td,
            [TestPki.Root.PublicCertificate],
            [new JwtAuthority("k1", JwtTestKeys.P256)],
            sequenceNumber: 2,
            refreshHint: TimeSpan.FromMinutes(5));
        string expected = BundleJson.ExpandText(
            """{"spiffe_sequence":2,"spiffe_refresh_hint":300,"keys":[{"use":"x509-svid",ROOTKEY,"x5c":["$ROOT"]},{"use":"jwt-svid","kid":"k1",$K1}]}""")
            .Replace("ROOTKEY", JwkJson.Of(null, TestPki.Root.PublicCertificate.GetECDsaPublicKey()!)[1..^1], StringComparison.Ordinal);
        Assert.Equal(expected, Encoding.UTF8.GetString(bundle.Marshal()));
        Assert.Contains("\n", Encoding.UTF8.GetString(bundle.Marshal(indented: true)), StringComparison.Ordinal);
    }

    [Fact]
    public void RoundTrip_KeepsEveryAuthorityAndTheMetadata()
    {
        var bundle = new SpiffeBundle(
            s_td,
            [TestPki.Root.PublicCertificate, TestPki.ForeignRoot.PublicCertificate],
            [new JwtAuthority("ec256", JwtTestKeys.P256), new JwtAuthority("ec384", JwtTestKeys.P384), new JwtAuthority("ec521", JwtTestKeys.P521), new JwtAuthority("rsa", JwtTestKeys.Rsa)],
            sequenceNumber: ulong.MaxValue,
            refreshHint: TimeSpan.FromDays(28));
        var parsed = SpiffeBundle.Parse(s_td, bundle.Marshal());
        Assert.True(bundle.ContentEquals(parsed));
        Assert.Equal(bundle.Marshal(), parsed.Marshal());
        Assert.Equal(["ec256", "ec384", "ec521", "rsa"], parsed.JwtAuthorities.Select(a => a.KeyId));
        Assert.Equal(["P-256", "P-384", "P-521", null], parsed.JwtAuthorities.Select(a => a.Curve));
    }

    // The views are live and answer only for the bundle's trust domain.
    [Fact]
    public void Views_AreSourcesForTheOwnTrustDomain()
    {
        var bundle = SpiffeBundle.Parse(s_td, BundleJson.Expand("""{"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]}]}"""));
        var chain = TestPki.Chain(TestPki.Intermediate, "spiffe://example.org/web");
        Assert.Equal("spiffe://example.org/web", X509SvidVerifier.Verify(chain, bundle, TestClock.Provider).Id.ToString());

        Assert.Same(bundle.X509Bundle, bundle.GetX509BundleForTrustDomain(s_td));
        Assert.Same(bundle.JwtBundle, bundle.GetJwtBundleForTrustDomain(s_td));
        Assert.Same(bundle, bundle.GetSpiffeBundleForTrustDomain(s_td));
        Assert.Equal(
            "x509bundle: no X.509 bundle for trust domain \"foreign.test\"",
            Assert.Throws<X509BundleException>(() => bundle.GetX509BundleForTrustDomain(TestPki.Foreign)).Message);
        Assert.Equal(
            "jwtbundle: no JWT bundle for trust domain \"foreign.test\"",
            Assert.Throws<JwtBundleException>(() => bundle.GetJwtBundleForTrustDomain(TestPki.Foreign)).Message);
        Assert.Equal(
            "spiffebundle: no SPIFFE bundle for trust domain \"foreign.test\"",
            Assert.Throws<SpiffeBundleException>(() => bundle.GetSpiffeBundleForTrustDomain(TestPki.Foreign)).Message);

        bundle.JwtBundle.AddJwtAuthority("k1", JwtTestKeys.P256);
        bundle.X509Bundle.RemoveAuthority(TestPki.Root.PublicCertificate);
        Assert.Equal(["k1"], bundle.JwtAuthorities.Select(a => a.KeyId));
        Assert.Empty(bundle.X509Authorities);
        Assert.False(bundle.IsEmpty);
    }

    [Fact]
    public void FromX509AndJwtBundles_CopyTheAuthorities()
    {
        var fromX509 = SpiffeBundle.FromX509Bundle(TestPki.Bundle);
        Assert.Equal([TestPki.Root.PublicCertificate.Thumbprint], fromX509.X509Authorities.Select(c => c.Thumbprint));
        Assert.Empty(fromX509.JwtAuthorities);
        var fromJwt = SpiffeBundle.FromJwtBundle(JwtTestKeys.Bundle());
        Assert.Equal(4, fromJwt.JwtAuthorities.Count);
        Assert.Null(fromJwt.SequenceNumber);
    }

    [Fact]
    public void Metadata_SetAndCompared()
    {
        var bundle = new SpiffeBundle(s_td);
        Assert.True(bundle.IsEmpty);
        var copy = bundle.Clone();
        bundle.SequenceNumber = 5;
        Assert.False(bundle.ContentEquals(copy));
        copy.SequenceNumber = 5;
        Assert.True(bundle.ContentEquals(copy));
        bundle.RefreshHint = TimeSpan.FromSeconds(60);
        Assert.Throws<ArgumentOutOfRangeException>(() => bundle.RefreshHint = TimeSpan.FromSeconds(-1));
        Assert.Equal(TimeSpan.FromSeconds(60), bundle.RefreshHint);
        Assert.Throws<ArgumentException>(() => new SpiffeBundle(default));
    }

    [Fact]
    public void Load_ReportsAMissingFile()
    {
        var ex = Assert.Throws<SpiffeBundleException>(() => SpiffeBundle.Load(s_td, "/nonexistent/bundle.json"));
        Assert.StartsWith("spiffebundle: unable to load SPIFFE bundle file: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsAFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, BundleJson.Expand("""{"spiffe_sequence":9,"keys":[{"use":"jwt-svid","kid":"a",$K1}]}"""));
            var bundle = SpiffeBundle.Load(s_td, path);
            Assert.Equal(9UL, bundle.SequenceNumber);
            Assert.Equal("a", Assert.Single(bundle.JwtAuthorities).KeyId);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
