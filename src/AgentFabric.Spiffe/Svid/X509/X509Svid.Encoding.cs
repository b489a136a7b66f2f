using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>Reading and writing X.509-SVIDs as PEM (certificates + PKCS#8 "PRIVATE KEY") and as raw DER.</summary>
public sealed partial class X509Svid
{
    private const string PrivateKeyLabel = "PRIVATE KEY";

    /// <summary>Reads an SVID from PEM certificates (leaf first) and a PEM PKCS#8 "PRIVATE KEY".</summary>
    /// <exception cref="X509SvidException">The data cannot be read or breaks a rule of X509-SVID.md.</exception>
    public static X509Svid Parse(ReadOnlySpan<byte> certificatesPem, ReadOnlySpan<byte> privateKeyPem) =>
        TryParse(certificatesPem, privateKeyPem, out var svid, out var error) ? svid : throw new X509SvidException(error);

    /// <summary>Reads like <see cref="Parse"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> certificatesPem,
        ReadOnlySpan<byte> privateKeyPem,
        [NotNullWhen(true)] out X509Svid? svid,
        [NotNullWhen(false)] out string? error)
    {
        svid = null;
        if (!CertificateEncoding.TryReadPemCertificates(certificatesPem, out var certificates, out var reason))
        {
            error = "x509svid: cannot parse certificates: " + reason;
            return false;
        }

        if (!CertificateEncoding.TryReadPemBlocks(privateKeyPem, out var blocks, out reason))
        {
            error = "x509svid: cannot parse private key: " + reason;
            return false;
        }

        if (blocks[0].Label != PrivateKeyLabel)
        {
            error = $"x509svid: expected PEM block \"{PrivateKeyLabel}\", got \"{blocks[0].Label}\"";
            return false;
        }

        return TryFinish(certificates, blocks[0].Der, out svid, out error);
    }

    /// <summary>Reads an SVID from concatenated DER certificates (leaf first) and a DER PKCS#8 private key, as the
    /// Workload API delivers them.</summary>
    /// <exception cref="X509SvidException">The data cannot be read or breaks a rule of X509-SVID.md.</exception>
    public static X509Svid ParseRaw(ReadOnlySpan<byte> certificatesDer, ReadOnlySpan<byte> privateKeyDer) =>
        TryParseRaw(certificatesDer, privateKeyDer, out var svid, out var error)
            ? svid
            : throw new X509SvidException(error);

    /// <summary>Reads like <see cref="ParseRaw"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParseRaw(
        ReadOnlySpan<byte> certificatesDer,
        ReadOnlySpan<byte> privateKeyDer,
        [NotNullWhen(true)] out X509Svid? svid,
        [NotNullWhen(false)] out string? error)
    {
        svid = null;
        if (!CertificateEncoding.TryReadDerCertificates(certificatesDer, out var certificates, out var reason))
        {
            error = "x509svid: cannot parse certificates: " + reason;
            return false;
        }

        return TryFinish(certificates, privateKeyDer, out svid, out error);
    }

    /// <summary>Reads an SVID from a PEM certificates file and a PEM private key file.</summary>
    /// <exception cref="X509SvidException">A file cannot be read, or its content is invalid.</exception>
    public static X509Svid Load(string certificatesPath, string privateKeyPath)
    {
        ArgumentNullException.ThrowIfNull(certificatesPath);
        ArgumentNullException.ThrowIfNull(privateKeyPath);
        byte[] certificates = ReadFile(certificatesPath, "certificates");
        byte[] key = ReadFile(privateKeyPath, "private key");
        return Parse(certificates, key);
    }

    /// <summary>The chain as PEM "CERTIFICATE" blocks (leaf first) and the key as a PEM PKCS#8 "PRIVATE KEY".</summary>
    public (byte[] Certificates, byte[] PrivateKey) Marshal()
    {
        byte[] key = PrivateKey.ExportPkcs8PrivateKey();
        try
        {
            var keyPem = Encoding.ASCII.GetBytes(new string(PemEncoding.Write(PrivateKeyLabel, key)) + "\n");
            return (CertificateEncoding.WritePem(_certificates), keyPem);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The chain as concatenated DER (leaf first) and the key as DER PKCS#8.</summary>
    public (byte[] Certificates, byte[] PrivateKey) MarshalRaw() =>
        (CertificateEncoding.WriteDer(_certificates), PrivateKey.ExportPkcs8PrivateKey());

    private static bool TryFinish(
        List<System.Security.Cryptography.X509Certificates.X509Certificate2> certificates,
        ReadOnlySpan<byte> pkcs8,
        [NotNullWhen(true)] out X509Svid? svid,
        [NotNullWhen(false)] out string? error)
    {
        svid = null;
        error = X509SvidPrivateKey.TryImport(pkcs8, out var key);
        if (error is not null)
        {
            return false;
        }

        if (TryCreate(certificates, key, hint: null, out svid, out error))
        {
            return true;
        }

        key.Dispose();
        return false;
    }

    private static byte[] ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new X509SvidException($"x509svid: cannot read {what} file: {ex.Message}", ex);
        }
    }
}
