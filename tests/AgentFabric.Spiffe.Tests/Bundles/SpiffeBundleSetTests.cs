using System.Text;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles;

/// <summary>SpiffeBundleSet (federation) and the SPIFFE Bundle Map (Bundle §5).</summary>
public class SpiffeBundleSetTests
{
    private const string Map = """
        {"trust_domains":{
          "example.org":{"spiffe_sequence":12035488,"keys":[{"kty":"EC","use":"x509-svid","x5c":["$ROOT"]},{"use":"jwt-svid","kid":"k1",$K1}]},
          "foreign.test":{"spiffe_refresh_hint":60,"keys":[{"kty":"EC","use":"x509-svid","x5c":["$FOREIGN"]}]}
        }}
        """;

    public static TheoryData<string, string> InvalidMaps => new()
    {
        { "[]", "spiffebundle: bundle map is not a JSON object" },
        { "{}", "spiffebundle: bundle map has no \"trust_domains\" object" },
        { """{"trust_domains":[]}""", "spiffebundle: bundle map has no \"trust_domains\" object" },
        { """{"trust_domains":{},"trust_domains":{}}""", "spiffebundle: bundle map has duplicate member \"trust_domains\"" },
        // §5.1.1, §6.3: duplicate trust domain names MUST be rejected.
        { """{"trust_domains":{"example.org":{"keys":[]},"example.org":{"keys":[]}}}""", "spiffebundle: bundle map has duplicate trust domain \"example.org\"" },
        { """{"trust_domains":{"Example.org":{"keys":[]}}}""", "spiffebundle: bundle map has an invalid trust domain name \"Example.org\": spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores" },
        { """{"trust_domains":{"spiffe://example.org":{"keys":[]}}}""", "spiffebundle: bundle map has an invalid trust domain name \"spiffe://example.org\": not a bare name" },
        { """{"trust_domains":{"example.org":{}}}""", "spiffebundle: trust domain \"example.org\": JWKS has no \"keys\" member" },
        { """{"trust_domains":{"example.org":{"keys":[{"use":"jwt-svid",$K1}]}}}""", "spiffebundle: trust domain \"example.org\": key 0 is a JWT-SVID key without a \"kid\"" },
    };

    [Fact]
    public void ParseBundleMap_ReadsEveryTrustDomain()
    {
        var set = SpiffeBundleSet.ParseBundleMap(BundleJson.Expand(Map));
        Assert.Equal(["example.org", "foreign.test"], set.Bundles.Select(b => b.TrustDomain.Name));
        var example = set.GetSpiffeBundleForTrustDomain(TestPki.ExampleOrg);
        Assert.Equal(12035488UL, example.SequenceNumber);
        Assert.Equal("k1", Assert.Single(example.JwtAuthorities).KeyId);
        Assert.Equal(TimeSpan.FromSeconds(60), set.GetSpiffeBundleForTrustDomain(TestPki.Foreign).RefreshHint);
    }

    [Theory]
    [MemberData(nameof(InvalidMaps))]
    public void ParseBundleMap_RejectsInvalidMaps(string vector, string expected)
    {
        var ex = Assert.Throws<SpiffeBundleException>(() => SpiffeBundleSet.ParseBundleMap(BundleJson.Expand(vector)));
        Assert.Equal(expected, ex.Message);
    }

    // §5.1.1: producers omit refresh hints inside a map; everything else round-trips.
    [Fact]
    public void MarshalBundleMap_RoundTripsWithoutRefreshHints()
    {
        var set = SpiffeBundleSet.ParseBundleMap(BundleJson.Expand(Map));
        string json = Encoding.UTF8.GetString(set.MarshalBundleMap());
        Assert.DoesNotContain("spiffe_refresh_hint", json, StringComparison.Ordinal);
        var again = SpiffeBundleSet.ParseBundleMap(set.MarshalBundleMap());
        Assert.True(set.GetSpiffeBundleForTrustDomain(TestPki.ExampleOrg).ContentEquals(again.GetSpiffeBundleForTrustDomain(TestPki.ExampleOrg)));
        Assert.Null(again.GetSpiffeBundleForTrustDomain(TestPki.Foreign).RefreshHint);
        Assert.Equal("""{"trust_domains":{}}""", Encoding.UTF8.GetString(new SpiffeBundleSet().MarshalBundleMap()));
    }

    // XF: each trust domain's SVIDs verify only with its own bundle; no merging.
    [Fact]
    public void Federation_EachTrustDomainUsesItsOwnBundle()
    {
        var set = SpiffeBundleSet.ParseBundleMap(BundleJson.Expand(Map));
        var foreignPeer = TestPki.Chain(TestPki.ForeignRoot, "spiffe://foreign.test/partner");
        Assert.Equal("spiffe://foreign.test/partner", X509SvidVerifier.Verify(foreignPeer, set, TestClock.Provider).Id.ToString());

        // A leaf claiming foreign.test but issued by example.org's CA does not verify against foreign.test's bundle.
        var impostor = TestPki.Chain(TestPki.Root, "spiffe://foreign.test/impostor");
        var ex = Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify(impostor, set, TestClock.Provider));
        Assert.Equal("x509svid: could not verify leaf certificate: certificate signed by unknown authority", ex.Message);
    }

    [Fact]
    public void Sources_ReportMissingTrustDomainsInTheirOwnTerms()
    {
        var set = new SpiffeBundleSet(new SpiffeBundle(TestPki.ExampleOrg));
        var other = TrustDomain.Parse("other.test");
        Assert.Equal("x509bundle: no X.509 bundle for trust domain \"other.test\"",
            Assert.Throws<X509BundleException>(() => set.GetX509BundleForTrustDomain(other)).Message);
        Assert.Equal("jwtbundle: no JWT bundle for trust domain \"other.test\"",
            Assert.Throws<JwtBundleException>(() => set.GetJwtBundleForTrustDomain(other)).Message);
        Assert.Equal("spiffebundle: no SPIFFE bundle for trust domain \"other.test\"",
            Assert.Throws<SpiffeBundleException>(() => set.GetSpiffeBundleForTrustDomain(other)).Message);
    }

    [Fact]
    public void AddSetRemove()
    {
        var set = new SpiffeBundleSet();
        set.Add(new SpiffeBundle(TestPki.ExampleOrg));
        set.Add(new SpiffeBundle(TestPki.Foreign));
        Assert.Equal(2, set.Count);
        set.Set([new SpiffeBundle(TestPki.Foreign)]);
        Assert.False(set.Contains(TestPki.ExampleOrg));
        Assert.True(set.Remove(TestPki.Foreign));
        Assert.False(set.Remove(TestPki.Foreign));
        Assert.Equal(0, set.Count);
    }
}
