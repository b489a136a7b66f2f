using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Server.Ca;

/// <summary>
/// An upstream CA given as PEM certificate and key files (SPIRE's "disk" UpstreamAuthority): our CA becomes an
/// intermediate under it, and the bundle holds the upstream roots instead of our own certificate.
/// </summary>
public sealed class UpstreamAuthority : IDisposable
{
    private UpstreamAuthority(X509Certificate2 certificate, ECDsa key, IReadOnlyList<X509Certificate2> chain, IReadOnlyList<X509Certificate2> roots)
    {
        Certificate = certificate;
        Key = key;
        Chain = chain;
        Roots = roots;
    }

    /// <summary>The upstream signing certificate.</summary>
    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    /// <summary>Certificates between our intermediate and a root (the upstream cert unless it is itself a root).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The trust anchors published in the bundle.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    public static UpstreamAuthority Load(string certPath, string keyPath, string? bundlePath)
    {
        X509Certificate2 certificate;
        var key = ECDsa.Create();
        try
        {
            var certs = new X509Certificate2Collection();
            certs.ImportFromPemFile(certPath);
            if (certs.Count == 0)
            {
                throw new CaException($"ca: upstream certificate file \"{certPath}\" holds no certificate");
            }

            certificate = certs[0];
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            key.Dispose();
            throw new CaException($"ca: cannot load upstream CA from \"{certPath}\" and \"{keyPath}\": {e.Message}", e);
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            key.Dispose();
            throw new CaException($"ca: upstream certificate \"{certificate.Subject}\" is not a CA (basicConstraints cA is not true)");
        }

        using (var pub = certificate.GetECDsaPublicKey())
        {
            if (pub is null || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                key.Dispose();
                throw new CaException("ca: upstream key does not match the upstream certificate");
            }
        }

        var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        IReadOnlyList<X509Certificate2> roots;
        if (bundlePath is not null)
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(bundlePath);
            roots = bundle.ToArray();
        }
        else if (selfSigned)
        {
            roots = [certificate];
        }
        else
        {
            key.Dispose();
            throw new CaException("ca: upstream certificate is not self-signed, so upstream_authority.bundle_file_path must name its roots");
        }

        return new UpstreamAuthority(certificate, key, selfSigned ? [] : [certificate], roots);
    }

    public void Dispose() => Key.Dispose();
}
