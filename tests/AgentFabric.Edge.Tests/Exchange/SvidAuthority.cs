using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Edge.Tests.Exchange;

/// <summary>An in-test X.509 CA of a trust domain (root and one intermediate) that issues X.509-SVIDs, and the
/// HttpClient an agent uses to present one over mutual TLS.</summary>
internal sealed class SvidAuthority : IDisposable
{
    private static int s_serial;
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public SvidAuthority(string trustDomain)
    {
        var now = DateTimeOffset.UtcNow;
        Root = CaRequest(trustDomain, _rootKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var intermediate = CaRequest(trustDomain, _intermediateKey);
        AddAuthorityKeyId(intermediate, Root);
        Intermediate = Sign(intermediate, Root, _rootKey, now.AddDays(20));
    }

    /// <summary>The root, as a bundle holds it.</summary>
    public X509Certificate2 Root { get; }

    public X509Certificate2 Intermediate { get; }

    /// <summary>A leaf for <paramref name="spiffeId"/> with its key, signed by the intermediate.</summary>
    public X509Certificate2 Issue(string spiffeId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(spiffeId));
        request.CertificateExtensions.Add(san.Build(true));
        AddAuthorityKeyId(request, Intermediate);
        using var leaf = Sign(request, Intermediate, _intermediateKey, DateTimeOffset.UtcNow.AddHours(1));
        return leaf.CopyWithPrivateKey(key);
    }

    /// <summary>An HTTP client that presents <paramref name="leaf"/> and the intermediate, trusting exactly
    /// <paramref name="server"/> as the server's certificate.</summary>
    public HttpClient Client(X509Certificate2 leaf, X509Certificate2 server) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificateContext = SslStreamCertificateContext.Create(leaf, [Intermediate], offline: true),
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetRawCertData().AsSpan().SequenceEqual(server.RawData),
            },
        });

    /// <summary>A self-signed server certificate for 127.0.0.1, written as PEM certificate and key files.</summary>
    public static X509Certificate2 WriteServerCertificate(string certificatePath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edge", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey.Dispose();
    }

    private static CertificateRequest CaRequest(string trustDomain, ECDsa key)
    {
        var request = new CertificateRequest($"CN=edge test ca {Interlocked.Increment(ref s_serial)}, O={trustDomain}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://" + trustDomain));
        request.CertificateExtensions.Add(san.Build(false));
        return request;
    }

    private static void AddAuthorityKeyId(CertificateRequest request, X509Certificate2 issuer) =>
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, ECDsa issuerKey, DateTimeOffset notAfter)
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, serial);
    }
}
