using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Ca;
using AgentFabric.Server.KeyManagement;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Testing;

namespace AgentFabric.Server.Tests.Ca;

public class X509CaTests
{
    private static readonly SpiffeId s_id = SpiffeId.Parse("spiffe://example.org/service/teg-core");

    [Fact]
    public void SelfSignedRoot_SignsVerifiableSvid_WithIdFromEntryNotCsr()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var time = TestTime.StartingNow();
        var ca = CaFixture.Create(dir.Path, keys, time);
        Assert.StartsWith("C=US, O=AgentVault, CN=AgentVault CA, SERIALNUMBER=", ca.Active.Certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(10), ca.Active.NotAfter - ca.Active.NotBefore);

        using var workloadKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CaFixture.Csr(workloadKey, "CN=spiffe://example.org/attacker");
        var svid = ca.SignCsr(csr, s_id, ["teg-core.local"], TimeSpan.FromHours(1));

        Assert.Single(svid.Chain);
        var bundle = new X509Bundle(CaFixture.Td, ca.BundleAuthorities);
        var result = X509SvidVerifier.Verify(svid.Chain, bundle, time);
        Assert.Equal(s_id, result.Id);
        Assert.Equal(s_id, X509Svid.IdFromCertificate(svid.Leaf));
        Assert.Equal(time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), svid.NotAfter.ToUnixTimeSeconds());
        Assert.Equal(workloadKey.ExportSubjectPublicKeyInfo(), svid.Leaf.PublicKey.ExportSubjectPublicKeyInfo());
        var san = svid.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["teg-core.local"], san.EnumerateDnsNames());
    }

    [Fact]
    public void SvidNeverOutlivesTheCa()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var ca = CaFixture.Create(dir.Path, keys, TestTime.StartingNow());
        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = ca.SignCsr(CaFixture.Csr(k), s_id, [], TimeSpan.FromDays(30));
        Assert.Equal(ca.Active.NotAfter, svid.NotAfter);
    }

    [Fact]
    public void TamperedCsr_IsRefused()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var ca = CaFixture.Create(dir.Path, keys, TestTime.StartingNow());
        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CaFixture.Csr(k);
        csr[^5] ^= 0x01; // inside the signature
        var e = Assert.Throws<CaException>(() => ca.SignCsr(csr, s_id, [], TimeSpan.FromHours(1)));
        Assert.StartsWith("ca: CSR is malformed or its signature does not verify", e.Message, StringComparison.Ordinal);
        Assert.Equal("ca: CSR is empty", Assert.Throws<CaException>(() => ca.SignCsr([], s_id, [], TimeSpan.FromHours(1))).Message);
    }

    [Fact]
    public void RefusesIdOfAnotherTrustDomain()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var ca = CaFixture.Create(dir.Path, keys, TestTime.StartingNow());
        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var e = Assert.Throws<CaException>(() => ca.SignCsr(CaFixture.Csr(k), SpiffeId.Parse("spiffe://other.org/x"), [], TimeSpan.FromHours(1)));
        Assert.Equal("ca: SPIFFE ID \"spiffe://other.org/x\" is not in trust domain \"example.org\"", e.Message);
    }

    [Fact]
    public void Restart_WithDiskKeys_KeepsTheSameCa()
    {
        using var dir = new TempDirectory();
        var time = TestTime.StartingNow();
        string thumbprint;
        using (var keys = new DiskKeyManager(dir.Combine("keys")))
        {
            thumbprint = CaFixture.Create(dir.Path, keys, time).Active.Certificate.Thumbprint;
        }

        using var again = new DiskKeyManager(dir.Combine("keys"));
        var ca = CaFixture.Create(dir.Path, again, time);
        Assert.Equal(thumbprint, ca.Active.Certificate.Thumbprint);
        Assert.Single(ca.Authorities);
    }

    [Fact]
    public void Restart_WithMemoryKeys_StartsANewCa()
    {
        using var dir = new TempDirectory();
        var time = TestTime.StartingNow();
        string thumbprint;
        using (var keys = new MemoryKeyManager())
        {
            thumbprint = CaFixture.Create(dir.Path, keys, time).Active.Certificate.Thumbprint;
        }

        using var fresh = new MemoryKeyManager();
        Assert.NotEqual(thumbprint, CaFixture.Create(dir.Path, fresh, time).Active.Certificate.Thumbprint);
    }

    [Fact]
    public void Rotation_PublishesNextCaBeforeActivating_SoEverySvidVerifies()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var time = TestTime.StartingNow();
        var ca = CaFixture.Create(dir.Path, keys, time);
        var changes = 0;
        ca.BundleChanged += (_, _) => changes++;
        var first = ca.Active;
        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var oldSvid = ca.SignCsr(CaFixture.Csr(k), s_id, [], TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromHours(11));
        Assert.Empty(ca.Rotate());
        time.Advance(TimeSpan.FromHours(1.1));
        Assert.Equal(["prepared"], ca.Rotate());
        var next = ca.Prepared!;
        Assert.Same(first, ca.Active);
        Assert.Equal(2, ca.BundleAuthorities.Count);

        // A peer that fetched the bundle now already trusts the next CA.
        var bundleBeforeActivation = new X509Bundle(CaFixture.Td, ca.BundleAuthorities);

        time.Advance(TimeSpan.FromHours(8));
        Assert.Equal(["activated"], ca.Rotate());
        Assert.Equal(next.Certificate.Thumbprint, ca.Active.Certificate.Thumbprint);
        var newSvid = ca.SignCsr(CaFixture.Csr(k), s_id, [], TimeSpan.FromHours(1));
        Assert.Equal(s_id, X509SvidVerifier.Verify(newSvid.Chain, bundleBeforeActivation, time).Id);
        Assert.Equal(AuthorityState.Old, ca.Authorities.Single(a => a.KeyId == first.KeyId).State);

        // The old SVID (1 h lifetime) is expired; the old CA stays published until it expires itself.
        Assert.Equal(2, ca.BundleAuthorities.Count);
        time.Advance(TimeSpan.FromHours(4));
        Assert.Equal(["pruned", "prepared"], ca.Rotate());
        Assert.DoesNotContain(ca.BundleAuthorities, c => c.Thumbprint == first.Certificate.Thumbprint);
        Assert.Equal(2, ca.BundleAuthorities.Count);
        Assert.Equal(4, changes);
        Assert.NotNull(oldSvid);
    }

    [Fact]
    public void UpstreamCa_MakesOurCaAnIntermediate()
    {
        using var dir = new TempDirectory();
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Upstream Root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(dir.Combine("up.crt"), root.ExportCertificatePem());
        File.WriteAllText(dir.Combine("up.key"), rootKey.ExportPkcs8PrivateKeyPem());

        using var upstream = UpstreamAuthority.Load(dir.Combine("up.crt"), dir.Combine("up.key"), null);
        using var keys = new MemoryKeyManager();
        var time = TestTime.StartingNow();
        var ca = CaFixture.Create(dir.Path, keys, time, upstream);
        Assert.Equal("CN=Upstream Root", ca.Active.Certificate.Issuer);
        Assert.Equal([root.Thumbprint], ca.BundleAuthorities.Select(c => c.Thumbprint));

        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = ca.SignCsr(CaFixture.Csr(k), s_id, [], TimeSpan.FromHours(1));
        Assert.Equal(2, svid.Chain.Count);
        Assert.Equal(s_id, X509SvidVerifier.Verify(svid.Chain, new X509Bundle(CaFixture.Td, ca.BundleAuthorities), time).Id);
    }

    [Fact]
    public void UpstreamCertificateThatIsNotACa_IsRefused()
    {
        using var dir = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=Leaf", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(dir.Combine("up.crt"), cert.ExportCertificatePem());
        File.WriteAllText(dir.Combine("up.key"), key.ExportPkcs8PrivateKeyPem());
        var e = Assert.Throws<CaException>(() => UpstreamAuthority.Load(dir.Combine("up.crt"), dir.Combine("up.key"), null));
        Assert.Equal("ca: upstream certificate \"CN=Leaf\" is not a CA (basicConstraints cA is not true)", e.Message);
    }
}

public class CsrReaderTests
{
    [Fact]
    public void AcceptsRsaCsr_AndReturnsItsKey()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var csr = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), CsrReader.ReadPublicKey(csr));
    }

    [Fact]
    public void RefusesTrailingData_AndCsrSignedByAnotherKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var e = Assert.Throws<CaException>(() => CsrReader.ReadPublicKey([.. csr, 0x00]));
        Assert.StartsWith("ca: CSR is malformed or its signature does not verify", e.Message, StringComparison.Ordinal);

        // A CSR carrying key A but signed by key B proves nothing about A.
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var generator = X509SignatureGenerator.CreateForECDsa(other);
        var forged = new CertificateRequest(new X500DistinguishedName("CN=x"), new PublicKey(key), HashAlgorithmName.SHA256).CreateSigningRequest(generator);
        Assert.Equal("ca: CSR is malformed or its signature does not verify: bad signature", Assert.Throws<CaException>(() => CsrReader.ReadPublicKey(forged)).Message);
    }

    [Fact]
    public void IssuedLeaf_ParsesWithOpenSslRules_AndCarriesTheSvidExtensions()
    {
        using var dir = new TempDirectory();
        using var keys = new MemoryKeyManager();
        var ca = CaFixture.Create(dir.Path, keys, TestTime.StartingNow());
        using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = ca.SignCsr(CaFixture.Csr(k), SpiffeId.Parse("spiffe://example.org/w"), ["a.example", "*.b.example"], TimeSpan.FromHours(1));
        var leaf = svid.Leaf;
        Assert.Equal(svid.SerialNumber, leaf.SerialNumber);
        Assert.Equal(svid.NotAfter, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
        Assert.Equal("O=AgentFabric, CN=a.example", leaf.Subject);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(new X509SubjectKeyIdentifierExtension(leaf.PublicKey, false).SubjectKeyIdentifier, leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.Equal(["a.example", "*.b.example"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Active.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }
}
