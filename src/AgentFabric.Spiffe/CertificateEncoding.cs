using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AgentFabric.Spiffe;

/// <summary>
/// Reads and writes certificate lists as PEM (RFC 7468 "CERTIFICATE" blocks) and as concatenated DER, the two forms the
/// Workload API and files use. Errors come back as text without an area prefix; each caller adds its own.
/// </summary>
internal static class CertificateEncoding
{
    public const string CertificateLabel = "CERTIFICATE";

    /// <summary>Every PEM block of <paramref name="pem"/>, in order; text between blocks is ignored.</summary>
    public static bool TryReadPemBlocks(
        ReadOnlySpan<byte> pem,
        out List<(string Label, byte[] Der)> blocks,
        out string? error)
    {
        blocks = [];
        error = null;
        string text = System.Text.Encoding.UTF8.GetString(pem);
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            string label = remaining[fields.Label].ToString();
            var base64 = remaining[fields.Base64Data];
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(base64, der, out int written))
            {
                error = $"invalid base64 in PEM block \"{label}\"";
                return false;
            }

            blocks.Add((label, der.AsSpan(0, written).ToArray()));
            remaining = remaining[fields.Location.End.Value..];
        }

        if (blocks.Count == 0)
        {
            error = "no PEM blocks found";
            return false;
        }

        return true;
    }

    /// <summary>Certificates from PEM "CERTIFICATE" blocks; any other block is an error.</summary>
    public static bool TryReadPemCertificates(
        ReadOnlySpan<byte> pem,
        out List<X509Certificate2> certificates,
        out string? error)
    {
        certificates = [];
        if (!TryReadPemBlocks(pem, out var blocks, out error))
        {
            return false;
        }

        foreach (var (label, der) in blocks)
        {
            if (label != CertificateLabel)
            {
                error = $"expected PEM block \"{CertificateLabel}\", got \"{label}\"";
                return false;
            }

            if (!TryLoadCertificate(der, out var certificate, out error))
            {
                return false;
            }

            certificates.Add(certificate);
        }

        return true;
    }

    /// <summary>Certificates from concatenated DER encodings (as in the Workload API's X509SVID.x509_svid).</summary>
    public static bool TryReadDerCertificates(
        ReadOnlySpan<byte> der,
        out List<X509Certificate2> certificates,
        out string? error)
    {
        certificates = [];
        error = null;
        var remaining = der;
        while (!remaining.IsEmpty)
        {
            int length;
            try
            {
                AsnDecoder.ReadEncodedValue(remaining, AsnEncodingRules.DER, out _, out _, out length);
            }
            catch (AsnContentException ex)
            {
                error = "cannot parse certificate: " + ex.Message;
                return false;
            }

            if (!TryLoadCertificate(remaining[..length].ToArray(), out var certificate, out error))
            {
                return false;
            }

            certificates.Add(certificate);
            remaining = remaining[length..];
        }

        if (certificates.Count == 0)
        {
            error = "no certificates found";
            return false;
        }

        return true;
    }

    /// <summary>One certificate from exactly one DER encoding.</summary>
    public static bool TryLoadCertificate(byte[] der, out X509Certificate2 certificate, out string? error)
    {
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException ex)
        {
            certificate = null!;
            error = "cannot parse certificate: " + ex.Message;
            return false;
        }

        // RFC 5280 §4.1.2.5: the platform decodes the validity dates lazily, and NotBefore/NotAfter then throw from
        // a property getter; a certificate whose dates cannot be read is refused here instead.
        try
        {
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
        }
        catch (CryptographicException)
        {
            certificate.Dispose();
            certificate = null!;
            error = "cannot parse certificate: the validity dates cannot be decoded";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>PEM "CERTIFICATE" blocks, one per certificate, in order.</summary>
    public static byte[] WritePem(IEnumerable<X509Certificate2> certificates)
    {
        var builder = new StringBuilder();
        foreach (var certificate in certificates)
        {
            builder.Append(PemEncoding.Write(CertificateLabel, certificate.RawData)).Append('\n');
        }

        return System.Text.Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>The DER encodings concatenated, in order.</summary>
    public static byte[] WriteDer(IEnumerable<X509Certificate2> certificates)
    {
        using var stream = new MemoryStream();
        foreach (var certificate in certificates)
        {
            stream.Write(certificate.RawData);
        }

        return stream.ToArray();
    }
}
