using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>A trust domain's root CA built in-test, issuing X.509-SVIDs (X509-SVID §4: leaf, digitalSignature, one
/// SPIFFE URI SAN) with chosen validity.</summary>
internal sealed class TestPki : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static int s_serial;

    public TestPki(string trustDomain, DateTimeOffset now)
    {
        TrustDomain = TrustDomain.Parse(trustDomain);
        var request = new CertificateRequest($"CN=test root {Interlocked.Increment(ref s_serial)}, O={trustDomain}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://" + trustDomain));
        request.CertificateExtensions.Add(san.Build());
        Root = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    public TrustDomain TrustDomain { get; }

    public X509Certificate2 Root { get; }

    public X509Bundle Bundle => new(TrustDomain, [X509CertificateLoader.LoadCertificate(Root.RawData)]);

    /// <summary>An SVID for <paramref name="path"/> (e.g. <c>/agents/writer</c>) valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public X509Svid Svid(string path, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=svid", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri($"spiffe://{TrustDomain}{path}"));
        request.CertificateExtensions.Add(san.Build());
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, notBefore, notAfter, serial);
        return X509Svid.Create([issued.CopyWithPrivateKey(key)]);
    }

    public void Dispose()
    {
        Root.Dispose();
        _key.Dispose();
    }
}
