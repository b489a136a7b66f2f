using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.X509;

public class X509SvidTests
{
    private const string Web = "spiffe://example.org/web";

    public static TheoryData<string> NegativeNames => X509SvidVectors.NegativeNames();

    [Theory]
    [MemberData(nameof(NegativeNames))]
    public void Parse_RejectsVector(string name)
    {
        var (build, error) = X509SvidVectors.Negative[name];
        var (certs, key) = build();
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.Parse(certs, key));
        Assert.Equal(error, ex.Message);
        Assert.False(X509Svid.TryParse(certs, key, out var svid, out var tryError));
        Assert.Null(svid);
        Assert.Equal(error, tryError);
    }

    [Theory]
    [InlineData("ec")]
    [InlineData("rsa")]
    public void Parse_AcceptsValidSvid(string keyType)
    {
        var (certs, key) = X509SvidVectors.Leaf(TestCertificateOptions.Leaf(Web) with { KeyType = keyType });
        var svid = X509Svid.Parse(certs, key);
        Assert.Equal(SpiffeId.Parse(Web), svid.Id);
        Assert.True(svid.Leaf.HasPrivateKey);
        Assert.Single(svid.Certificates);
        Assert.Empty(svid.Intermediates);
        Assert.Equal(keyType == "ec", svid.PrivateKey is ECDsa);
        Assert.Equal(keyType == "rsa", svid.PrivateKey is RSA);
        Assert.Null(svid.Hint);
    }

    [Fact]
    public void Parse_AcceptsIntermediatesDnsSansEkuAndEmptySubject()
    {
        var options = TestCertificateOptions.Leaf(Web) with
        {
            Subject = "",
            SanCritical = true,
            DnsNames = ["web.example.org"],
            ExtendedKeyUsages = [TestPki.ServerAuth, TestPki.ClientAuth],
            KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement,
        };
        var chain = TestPki.Chain(TestPki.Intermediate, options);
        var (certs, key) = X509SvidVectors.Encode(chain);
        var svid = X509Svid.Parse(certs, key);
        Assert.Equal(2, svid.Certificates.Count);
        Assert.False(svid.Intermediates[0].HasPrivateKey);
        Assert.Equal(chain[1].RawData, svid.Intermediates[0].RawData);
    }

    [Fact]
    public void Marshal_RoundTrips_PemAndRaw()
    {
        var (certs, key) = X509SvidVectors.Encode(TestPki.Chain(TestPki.Intermediate, Web));
        var svid = X509Svid.Parse(certs, key);

        var (pemCerts, pemKey) = svid.Marshal();
        var again = X509Svid.Parse(pemCerts, pemKey);
        Assert.Equal(svid.Id, again.Id);
        Assert.Equal(svid.Certificates.Select(c => c.RawData), again.Certificates.Select(c => c.RawData));

        var (derCerts, derKey) = svid.MarshalRaw();
        var raw = X509Svid.ParseRaw(derCerts, derKey);
        Assert.Equal(svid.Certificates.Select(c => c.RawData), raw.Certificates.Select(c => c.RawData));
        Assert.Equal(svid.PrivateKey.ExportSubjectPublicKeyInfo(), raw.PrivateKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void ParseRaw_RejectsGarbage()
    {
        var svid = X509Svid.Create(TestPki.Chain(TestPki.Root, Web));
        var (derCerts, derKey) = svid.MarshalRaw();

        var noCerts = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw([], derKey));
        Assert.Equal("x509svid: cannot parse certificates: no certificates found", noCerts.Message);

        var badKey = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(derCerts, [0x30, 0x03, 0x02, 0x01, 0x00]));
        Assert.StartsWith("x509svid: cannot parse private key: ", badKey.Message, StringComparison.Ordinal);

        var truncated = Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(derCerts[..^1], derKey));
        Assert.StartsWith("x509svid: cannot parse certificates: ", truncated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsFiles_AndReportsMissingFiles()
    {
        var (certs, key) = X509SvidVectors.Encode(TestPki.Chain(TestPki.Root, Web));
        string dir = Directory.CreateTempSubdirectory("svid").FullName;
        try
        {
            string certPath = Path.Combine(dir, "svid.pem");
            string keyPath = Path.Combine(dir, "svid.key");
            File.WriteAllBytes(certPath, certs);
            File.WriteAllBytes(keyPath, key);
            Assert.Equal(Web, X509Svid.Load(certPath, keyPath).Id.ToString());
            var ex = Assert.Throws<X509SvidException>(() => X509Svid.Load(certPath, Path.Combine(dir, "missing.key")));
            Assert.StartsWith("x509svid: cannot read private key file: ", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Create_FromCertificateWithKey_AndHint()
    {
        var chain = TestPki.Chain(TestPki.Intermediate, Web);
        var svid = X509Svid.Create(chain, privateKey: null, hint: "internal");
        Assert.Equal("internal", svid.Hint);
        Assert.Equal("external", svid.WithHint("external").Hint);
        Assert.Equal(new DateTimeOffset(chain[0].NotAfter.ToUniversalTime()), svid.NotAfter);

        var publicOnly = X509CertificateLoader.LoadCertificate(chain[0].RawData);
        var ex = Assert.Throws<X509SvidException>(() => X509Svid.Create([publicOnly]));
        Assert.Equal("x509svid: no private key for the leaf certificate", ex.Message);
        Assert.Equal("x509svid: no certificates found", Assert.Throws<X509SvidException>(() => X509Svid.Create([])).Message);
    }

    [Fact]
    public void IdFromCertificate_ReadsTheUriSan()
    {
        Assert.Equal(Web, X509Svid.IdFromCertificate(TestPki.Root.Issue(TestCertificateOptions.Leaf(Web))).ToString());
        Assert.Equal("spiffe://example.org", X509Svid.IdFromCertificate(TestPki.Root.Certificate).ToString());
        var ex = Assert.Throws<X509SvidException>(
            () => X509Svid.IdFromCertificate(TestPki.Root.Issue(TestCertificateOptions.Leaf(Web) with { Uris = [] })));
        Assert.Equal("x509svid: certificate contains no URI SAN", ex.Message);
    }
}
