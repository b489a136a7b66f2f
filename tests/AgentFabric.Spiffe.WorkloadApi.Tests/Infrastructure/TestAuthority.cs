using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>A CA of a trust domain built in-test (root or intermediate) that issues X.509-SVIDs.</summary>
internal sealed class TestAuthority
{
    private static int s_serial;
    private readonly ECDsa _key;

    private TestAuthority(TrustDomain trustDomain, X509Certificate2 certificate, ECDsa key, TestAuthority? parent)
    {
        TrustDomain = trustDomain;
        Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
        _key = key;
        Parent = parent;
    }

    public TrustDomain TrustDomain { get; }

    /// <summary>The CA certificate without its key, as a bundle holds it.</summary>
    public X509Certificate2 Certificate { get; }

    public TestAuthority? Parent { get; }

    public static TestAuthority CreateRoot(string trustDomain)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(TrustDomain.Parse(trustDomain), key);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestAuthority(TrustDomain.Parse(trustDomain), cert, key, null);
    }

    public TestAuthority CreateIntermediate()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CaRequest(TrustDomain, key);
        using var cert = Sign(request, DateTimeOffset.UtcNow.AddDays(20));
        return new TestAuthority(TrustDomain, cert, key, this);
    }

    /// <summary>An SVID for <paramref name="id"/> with the chain up to (excluding) the root.</summary>
    public X509Svid Issue(string id, string? hint = null, TimeSpan? lifetime = null) => Issue(SpiffeId.Parse(id), hint, lifetime);

    public X509Svid Issue(SpiffeId id, string? hint = null, TimeSpan? lifetime = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=svid", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(id.ToString()));
        request.CertificateExtensions.Add(san.Build(true));
        using var leaf = Sign(request, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)));
        var chain = new List<X509Certificate2> { leaf.CopyWithPrivateKey(key) };
        for (var ca = this; ca.Parent is not null; ca = ca.Parent)
        {
            chain.Add(ca.Certificate);
        }

        return X509Svid.Create(chain, key, hint);
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var caNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        return request.Create(
            Certificate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(_key),
            DateTimeOffset.UtcNow.AddMinutes(-5),
            notAfter < caNotAfter ? notAfter : caNotAfter,
            serial);
    }

    private static CertificateRequest CaRequest(TrustDomain trustDomain, ECDsa key)
    {
        var request = new CertificateRequest(
            $"CN=test ca {Interlocked.Increment(ref s_serial)}, O={trustDomain.Name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(trustDomain.IdString));
        request.CertificateExtensions.Add(san.Build(false));
        return request;
    }
}
