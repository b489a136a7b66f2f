using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Bundles.X509;

public class X509BundleTests
{
    private static readonly TrustDomain s_td = TrustDomain.Parse("example.org");
    private static readonly TestCa s_ca1 = TestCa.CreateRoot("example.org");
    private static readonly TestCa s_ca2 = TestCa.CreateRoot("example.org");

    [Fact]
    public void Marshal_Parse_RoundTrips()
    {
        var bundle = new X509Bundle(s_td, [s_ca1.PublicCertificate, s_ca2.PublicCertificate]);
        var pem = bundle.Marshal();
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Encoding.ASCII.GetString(pem), StringComparison.Ordinal);
        var parsed = X509Bundle.Parse(s_td, pem);
        Assert.True(parsed.ContentEquals(bundle));
        Assert.Equal(2, parsed.Authorities.Count);
        Assert.True(X509Bundle.FromDer(s_td, bundle.MarshalRaw()).ContentEquals(bundle));
    }

    [Fact]
    public void Parse_IgnoresTextBetweenBlocks()
    {
        var pem = "# comment\n" + Encoding.ASCII.GetString(new X509Bundle(s_td, [s_ca1.PublicCertificate]).Marshal())
            + "trailing text\n";
        Assert.Single(X509Bundle.Parse(s_td, Encoding.ASCII.GetBytes(pem)).Authorities);
    }

    [Fact]
    public void Parse_Empty_GivesEmptyBundle()
    {
        Assert.True(X509Bundle.Parse(s_td, []).IsEmpty);
        Assert.True(X509Bundle.FromDer(s_td, []).IsEmpty);
        Assert.Empty(new X509Bundle(s_td).Marshal());
    }

    [Theory]
    [InlineData("garbage", "not pem at all", "x509bundle: no PEM blocks found")]
    [InlineData("private key block", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "x509bundle: expected PEM block \"CERTIFICATE\", got \"PRIVATE KEY\"")]
    [InlineData("bad certificate body", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "x509bundle: cannot parse certificate: ")]
    public void Parse_RejectsBadPem(string name, string pem, string messageStart)
    {
        Assert.NotNull(name);
        var ex = Assert.Throws<X509BundleException>(() => X509Bundle.Parse(s_td, Encoding.ASCII.GetBytes(pem)));
        Assert.StartsWith(messageStart, ex.Message, StringComparison.Ordinal);
        Assert.False(X509Bundle.TryParse(s_td, Encoding.ASCII.GetBytes(pem), out _, out var error));
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void FromDer_RejectsGarbage()
    {
        var ex = Assert.Throws<X509BundleException>(() => X509Bundle.FromDer(s_td, [0x30, 0x82, 0x01]));
        Assert.StartsWith("x509bundle: cannot parse certificate: ", ex.Message, StringComparison.Ordinal);
        var der = s_ca1.PublicCertificate.RawData;
        Assert.Throws<X509BundleException>(() => X509Bundle.FromDer(s_td, [.. der, 0x05]));
    }

    [Fact]
    public void Load_ReadsFile_AndReportsMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bundle-{Guid.NewGuid():N}.pem");
        try
        {
            File.WriteAllBytes(path, new X509Bundle(s_td, [s_ca1.PublicCertificate]).Marshal());
            Assert.True(s_td == X509Bundle.Load(s_td, path).TrustDomain);
            Assert.True(X509Bundle.Load(s_td, path).HasAuthority(s_ca1.PublicCertificate));
        }
        finally
        {
            File.Delete(path);
        }

        var ex = Assert.Throws<X509BundleException>(() => X509Bundle.Load(s_td, path));
        Assert.StartsWith("x509bundle: unable to load X.509 bundle file: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRemoveHas_CompareByEncoding()
    {
        var bundle = new X509Bundle(s_td);
        bundle.AddAuthority(s_ca1.PublicCertificate);
        bundle.AddAuthority(s_ca1.Certificate); // same certificate, other object: not added twice
        Assert.Single(bundle.Authorities);
        Assert.True(bundle.HasAuthority(s_ca1.Certificate));
        Assert.False(bundle.HasAuthority(s_ca2.Certificate));
        var snapshot = bundle.Authorities;
        bundle.AddAuthority(s_ca2.PublicCertificate);
        Assert.Single(snapshot);
        Assert.True(bundle.RemoveAuthority(s_ca1.Certificate));
        Assert.False(bundle.RemoveAuthority(s_ca1.Certificate));
        Assert.Equal(s_ca2.Certificate.RawData, Assert.Single(bundle.Authorities).RawData);
        bundle.SetAuthorities([s_ca1.PublicCertificate, s_ca1.PublicCertificate]);
        Assert.Single(bundle.Authorities);
    }

    [Fact]
    public void ContentEquals_ComparesTrustDomainAndAuthorities()
    {
        var a = new X509Bundle(s_td, [s_ca1.PublicCertificate]);
        Assert.True(a.ContentEquals(new X509Bundle(s_td, [s_ca1.Certificate])));
        Assert.True(a.ContentEquals(a.Clone()));
        Assert.False(a.ContentEquals(new X509Bundle(TrustDomain.Parse("example.com"), [s_ca1.Certificate])));
        Assert.False(a.ContentEquals(new X509Bundle(s_td, [s_ca2.Certificate])));
        Assert.False(a.ContentEquals(new X509Bundle(s_td)));
        Assert.False(a.ContentEquals(null));
    }

    [Fact]
    public void Source_AnswersOnlyForItsTrustDomain()
    {
        IX509BundleSource bundle = new X509Bundle(s_td, [s_ca1.PublicCertificate]);
        Assert.Same(bundle, bundle.GetX509BundleForTrustDomain(TrustDomain.Parse("example.org")));
        var ex = Assert.Throws<X509BundleException>(
            () => bundle.GetX509BundleForTrustDomain(TrustDomain.Parse("other.org")));
        Assert.Equal("x509bundle: no X.509 bundle for trust domain \"other.org\"", ex.Message);
    }

    [Fact]
    public void Constructor_RejectsZeroTrustDomain() =>
        Assert.Throws<ArgumentException>(() => new X509Bundle(default(TrustDomain)));

    [Fact]
    public void Authorities_ArePublicCertificatesAsGiven()
    {
        var bundle = X509Bundle.Parse(s_td, new X509Bundle(s_td, [s_ca1.Certificate]).Marshal());
        Assert.False(bundle.Authorities[0].HasPrivateKey);
        Assert.IsType<X509Certificate2>(bundle.Authorities[0]);
    }

    // Readers see whole snapshots while writers add and remove concurrently.
    [Fact]
    public async Task ConcurrentReadersAndWriters_SeeConsistentSnapshots()
    {
        var bundle = new X509Bundle(s_td, [s_ca1.PublicCertificate]);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var writer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                bundle.AddAuthority(s_ca2.PublicCertificate);
                bundle.RemoveAuthority(s_ca2.PublicCertificate);
            }
        });
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var snapshot = bundle.Authorities;
                Assert.InRange(snapshot.Count, 1, 2);
                Assert.Equal(s_ca1.Certificate.RawData, snapshot[0].RawData);
                Assert.True(bundle.HasAuthority(s_ca1.Certificate));
            }
        });
        await Task.WhenAll(writer, reader);
        Assert.Single(bundle.Authorities);
    }
}

