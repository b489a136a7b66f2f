using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles.X509;

public class X509BundleSetTests
{
    private static readonly TrustDomain s_a = TrustDomain.Parse("a.org");
    private static readonly TrustDomain s_b = TrustDomain.Parse("b.org");
    private static readonly TestCa s_caA = TestCa.CreateRoot("a.org");
    private static readonly TestCa s_caB = TestCa.CreateRoot("b.org");

    [Fact]
    public void XF_FederatedBundlesAreKeptPerTrustDomain()
    {
        var set = new X509BundleSet(new X509Bundle(s_a, [s_caA.PublicCertificate]), new X509Bundle(s_b, [s_caB.PublicCertificate]));
        Assert.Equal(2, set.Count);
        Assert.True(set.GetX509BundleForTrustDomain(s_a).HasAuthority(s_caA.Certificate));
        Assert.False(set.GetX509BundleForTrustDomain(s_a).HasAuthority(s_caB.Certificate));
        Assert.True(set.GetX509BundleForTrustDomain(s_b).HasAuthority(s_caB.Certificate));
        Assert.Equal(["a.org", "b.org"], set.Bundles.Select(b => b.TrustDomain.Name));
    }

    [Fact]
    public void XF_NoMergingAcrossTrustDomains_AddReplaces()
    {
        var set = new X509BundleSet(new X509Bundle(s_a, [s_caA.PublicCertificate]));
        set.Add(new X509Bundle(s_a, [s_caB.PublicCertificate]));
        var bundle = set.GetX509BundleForTrustDomain(s_a);
        Assert.Single(bundle.Authorities);
        Assert.True(bundle.HasAuthority(s_caB.Certificate));
    }

    [Fact]
    public void XF_RemovalHonoured()
    {
        var set = new X509BundleSet(new X509Bundle(s_a, [s_caA.PublicCertificate]));
        Assert.True(set.Contains(s_a));
        Assert.True(set.Remove(s_a));
        Assert.False(set.Remove(s_a));
        Assert.False(set.TryGet(s_a, out _));
        var ex = Assert.Throws<X509BundleException>(() => set.GetX509BundleForTrustDomain(s_a));
        Assert.Equal("x509bundle: no X.509 bundle for trust domain \"a.org\"", ex.Message);
    }
}
