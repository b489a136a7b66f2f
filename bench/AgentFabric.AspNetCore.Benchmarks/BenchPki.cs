using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>A root CA of example.org issuing X.509-SVIDs for the benchmark's two workloads.</summary>
internal sealed class BenchPki
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;

    public BenchPki()
    {
        var request = new CertificateRequest("CN=bench root", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://example.org"));
        request.CertificateExtensions.Add(san.Build());
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Bundle = new X509Bundle(TrustDomain.Parse("example.org"), [X509CertificateLoader.LoadCertificate(_root.RawData)]);
    }

    public X509Bundle Bundle { get; }

    public X509Svid Svid(string path)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=svid", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://example.org" + path));
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(_root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), RandomNumberGenerator.GetBytes(16)[..8].Select(b => (byte)(b & 0x7F)).ToArray());
        return X509Svid.Create([issued.CopyWithPrivateKey(key)]);
    }
}
