using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.X509;

/// <summary>The conformance catalogue's XV group (peer validation, X509-SVID §5), one named test per case.</summary>
public class X509SvidVerifierTests
{
    private const string Web = "spiffe://example.org/web";

    [Fact]
    public void XV_ValidLeafDirectlyUnderRootAccepted()
    {
        var chain = TestPki.Chain(TestPki.Root, Web);
        var result = X509SvidVerifier.Verify(chain, TestPki.Bundle, TestClock.Provider);
        Assert.Equal(SpiffeId.Parse(Web), result.Id);
        var verified = Assert.Single(result.VerifiedChains);
        Assert.Equal(2, verified.Count);
        Assert.Same(chain[0], verified[0]);
        Assert.Equal(TestPki.Root.Certificate.RawData, verified[^1].RawData);
    }

    // X509-SVID §5.1: intermediates sent by the peer complete the path.
    [Fact]
    public void XV_IntermediatesAccepted()
    {
        var chain = TestPki.Chain(TestPki.Intermediate, Web);
        Assert.Equal(2, chain.Count);
        var result = X509SvidVerifier.Verify(chain, TestPki.Bundle, TestClock.Provider);
        Assert.Equal(3, result.VerifiedChains[0].Count);
    }

    [Fact]
    public void XV_TwoIntermediatesAccepted()
    {
        var second = TestPki.Intermediate.CreateIntermediate("example.org");
        var result = X509SvidVerifier.Verify(TestPki.Chain(second, Web), TestPki.Bundle, TestClock.Provider);
        Assert.Equal(4, result.VerifiedChains[0].Count);
    }

    // X509-SVID §2: other SAN types, including DNS, are allowed.
    [Fact]
    public void XV_DnsSansAccepted()
    {
        var options = TestCertificateOptions.Leaf(Web) with { DnsNames = ["web.example.org", "localhost"] };
        var result = X509SvidVerifier.Verify(TestPki.Chain(TestPki.Root, options), TestPki.Bundle, TestClock.Provider);
        Assert.Equal(Web, result.Id.ToString());
    }

    // X509-SVID §3.1: no subject, URI SAN critical.
    [Fact]
    public void XV_EmptySubjectWithCriticalUriSanAccepted()
    {
        var options = TestCertificateOptions.Leaf(Web) with { Subject = "", SanCritical = true };
        var chain = TestPki.Chain(TestPki.Root, options);
        Assert.Equal(2, chain[0].SubjectName.RawData.Length);
        Assert.Equal(Web, X509SvidVerifier.Verify(chain, TestPki.Bundle, TestClock.Provider).Id.ToString());
    }

    [Fact]
    public void XV_EmptySubjectWithNonCriticalUriSanRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with { Subject = "" }),
            "x509svid: leaf certificate without subject must mark the URI SAN extension critical");

    // X509-SVID §5.1: the path must end at an authority of the trust domain's bundle.
    [Fact]
    public void XV_UntrustedCaRejected()
    {
        var rogue = TestCa.CreateRoot("example.org");
        AssertRejected(
            TestPki.Chain(rogue, Web),
            "x509svid: could not verify leaf certificate: certificate signed by unknown authority");
    }

    // A rogue CA that copies the trusted root's subject name is still not trusted.
    [Fact]
    public void XV_UntrustedCaWithSameNameRejected()
    {
        var rogue = TestCa.CreateRoot(TestCertificateOptions.Authority("spiffe://example.org") with
        {
            Subject = TestPki.Root.Certificate.Subject,
        });
        AssertRejected(
            TestPki.Chain(rogue, Web),
            "x509svid: could not verify leaf certificate: certificate signed by unknown authority");
    }

    // Bundle §3: a foreign authority cannot vouch for example.org IDs.
    [Fact]
    public void XV_ForeignTrustDomainCaRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.ForeignRoot, Web),
            "x509svid: could not verify leaf certificate: certificate signed by unknown authority",
            TestPki.Bundles);

    [Fact]
    public void XV_ExpiredRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with
            {
                NotBefore = TestClock.Now.AddHours(-2),
                NotAfter = TestClock.Now.AddMinutes(-1),
            }),
            "x509svid: leaf certificate has expired");

    [Fact]
    public void XV_NotYetValidRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with
            {
                NotBefore = TestClock.Now.AddMinutes(1),
                NotAfter = TestClock.Now.AddHours(2),
            }),
            "x509svid: leaf certificate is not yet valid");

    // The injected clock decides: the same chain verifies now and fails two hours later.
    [Fact]
    public void XV_VerificationTimeComesFromTheInjectedClock()
    {
        var chain = TestPki.Chain(TestPki.Root, Web);
        X509SvidVerifier.Verify(chain, TestPki.Bundle, TestClock.Provider);
        var ex = Assert.Throws<X509SvidException>(
            () => X509SvidVerifier.Verify(chain, TestPki.Bundle, TestClock.At(TestClock.Now.AddHours(2))));
        Assert.Equal("x509svid: leaf certificate has expired", ex.Message);
    }

    [Fact]
    public void XV_ExpiredIntermediateRejected()
    {
        var expired = TestPki.Root.CreateIntermediate(TestCertificateOptions.Authority("spiffe://example.org") with
        {
            NotBefore = TestClock.Now.AddHours(-3),
            NotAfter = TestClock.Now.AddMinutes(-30),
        });
        var chain = new[]
        {
            expired.Issue(TestCertificateOptions.Leaf(Web) with
            {
                NotBefore = TestClock.Now.AddHours(-2),
                NotAfter = TestClock.Now.AddHours(1),
            }),
            expired.PublicCertificate,
        };
        AssertRejected(chain, "x509svid: could not verify leaf certificate: a signing certificate is outside its validity period");
    }

    // X509-SVID §4.1, §5.2
    [Fact]
    public void XV_CaLeafRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with { IsCa = true }),
            "x509svid: leaf certificate must not have CA flag set to true");

    // X509-SVID §4.3, §5.2
    [Fact]
    public void XV_KeyCertSignRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with
            {
                KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign,
            }),
            "x509svid: leaf certificate must not set key usage keyCertSign");

    // X509-SVID §4.3, §5.2
    [Fact]
    public void XV_CrlSignRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with
            {
                KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign,
            }),
            "x509svid: leaf certificate must not set key usage cRLSign");

    // X509-SVID §2, §5.2
    [Fact]
    public void XV_MoreThanOneUriSanRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with
            {
                Uris = [Web, "spiffe://example.org/other"],
            }),
            "x509svid: certificate contains more than one URI SAN");

    // X509-SVID §2
    [Fact]
    public void XV_NoUriSanRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with { Uris = [], DnsNames = ["web"] }),
            "x509svid: certificate contains no URI SAN");

    [Fact]
    public void XV_NoSanExtensionRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf(Web) with { Uris = [] }),
            "x509svid: certificate contains no URI SAN");

    // X509-SVID §5.2: the scheme is "spiffe".
    [Fact]
    public void XV_NonSpiffeUriRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, TestCertificateOptions.Leaf("https://example.org/web")),
            "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")");

    // X509-SVID §3.1, §5.2
    [Fact]
    public void XV_RootPathIdRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, "spiffe://example.org"),
            "x509svid: leaf certificate SPIFFE ID must have a non-root path");

    // Bundle §3
    [Fact]
    public void XV_TrustDomainWithoutBundleRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, "spiffe://unknown.org/web"),
            "x509svid: could not get X.509 bundle: x509bundle: no X.509 bundle for trust domain \"unknown.org\"",
            TestPki.Bundles);

    // X509-SVID §3.2, §4.1
    [Fact]
    public void XV_IntermediateWithoutCaFlagRejected()
    {
        var notCa = TestPki.Root.CreateIntermediate(TestCertificateOptions.Authority("spiffe://example.org") with { IsCa = false });
        AssertRejected(TestPki.Chain(notCa, Web), "x509svid: could not verify leaf certificate: signing certificate is not a CA");
    }

    // X509-SVID §4.2 and Bundle §6.2: when one root is shared by two trust domains, an intermediate's
    // URI name constraint keeps it from issuing IDs outside its own trust domain.
    [Fact]
    public void XV_NameConstraintsHonoured()
    {
        var shared = TestCa.CreateRoot("a.org");
        var bundles = new X509BundleSet(
            new X509Bundle(TrustDomain.Parse("a.org"), [shared.PublicCertificate]),
            new X509Bundle(TrustDomain.Parse("b.org"), [shared.PublicCertificate]));
        var constrained = shared.CreateIntermediate(TestCertificateOptions.Authority("spiffe://a.org") with
        {
            PermittedUriHosts = ["a.org"],
        });

        Assert.Equal(
            "spiffe://a.org/web",
            X509SvidVerifier.Verify(TestPki.Chain(constrained, "spiffe://a.org/web"), bundles, TestClock.Provider).Id.ToString());
        AssertRejected(
            TestPki.Chain(constrained, "spiffe://b.org/web"),
            "x509svid: could not verify leaf certificate: certificate violates a name constraint of a signing certificate",
            bundles);
    }

    [Fact]
    public void XV_EmptyBundleRejected() =>
        AssertRejected(
            TestPki.Chain(TestPki.Root, Web),
            "x509svid: X.509 bundle for trust domain \"example.org\" is empty",
            new X509Bundle(TestPki.ExampleOrg));

    [Fact]
    public void XV_EmptyChainRejected() =>
        AssertRejected([], "x509svid: empty certificate chain");

    // XS: a bundle may hold several authorities (root rotation); either verifies.
    [Fact]
    public void XS_MultiCaBundleAccepted()
    {
        var next = TestCa.CreateRoot("example.org");
        var bundle = new X509Bundle(TestPki.ExampleOrg, [TestPki.Root.PublicCertificate, next.PublicCertificate]);
        X509SvidVerifier.Verify(TestPki.Chain(TestPki.Root, Web), bundle, TestClock.Provider);
        X509SvidVerifier.Verify(TestPki.Chain(next, Web), bundle, TestClock.Provider);
    }

    // XS: once an authority leaves the bundle, SVIDs under it are rejected.
    [Fact]
    public void XS_CaRemovalHonoured()
    {
        var next = TestCa.CreateRoot("example.org");
        var bundle = new X509Bundle(TestPki.ExampleOrg, [TestPki.Root.PublicCertificate, next.PublicCertificate]);
        var chain = TestPki.Chain(TestPki.Root, Web);
        X509SvidVerifier.Verify(chain, bundle, TestClock.Provider);
        Assert.True(bundle.RemoveAuthority(TestPki.Root.Certificate));
        AssertRejected(chain, "x509svid: could not verify leaf certificate: certificate signed by unknown authority", bundle);
    }

    // XF: each trust domain is verified only with its own bundle.
    [Fact]
    public void XF_FederatedTrustDomainVerifiedWithItsOwnBundle()
    {
        var result = X509SvidVerifier.Verify(
            TestPki.Chain(TestPki.ForeignRoot, "spiffe://foreign.test/api"),
            TestPki.Bundles,
            TestClock.Provider);
        Assert.Equal(TestPki.Foreign, result.Id.TrustDomain);

        // A foreign.test ID under example.org's root is not trusted even though both bundles are in the set.
        AssertRejected(
            TestPki.Chain(TestPki.Root, "spiffe://foreign.test/api"),
            "x509svid: could not verify leaf certificate: certificate signed by unknown authority",
            TestPki.Bundles);
    }

    [Fact]
    public void ParseAndVerify_ReadsDer()
    {
        var chain = TestPki.Chain(TestPki.Intermediate, Web);
        byte[] der = [.. chain[0].RawData, .. chain[1].RawData];
        Assert.Equal(Web, X509SvidVerifier.ParseAndVerify(der, TestPki.Bundle, TestClock.Provider).Id.ToString());
        var ex = Assert.Throws<X509SvidException>(
            () => X509SvidVerifier.ParseAndVerify(new byte[] { 1, 2, 3 }, TestPki.Bundle, TestClock.Provider));
        Assert.StartsWith("x509svid: cannot parse certificates: ", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertRejected(
        IReadOnlyList<X509Certificate2> chain,
        string message,
        IX509BundleSource? bundles = null)
    {
        var ex = Assert.Throws<X509SvidException>(
            () => X509SvidVerifier.Verify(chain, bundles ?? TestPki.Bundle, TestClock.Provider));
        Assert.Equal(message, ex.Message);
    }
}
