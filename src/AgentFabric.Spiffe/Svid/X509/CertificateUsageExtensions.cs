using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// The basic constraints, key usage and extended key usage of a certificate, decoded once. The BCL decodes these
/// extensions lazily and throws <see cref="CryptographicException"/> or AsnContentException from a property getter on corrupt DER; reading
/// them here turns that into an X509-SVID rule error (RFC 5280 §4.2: a certificate with an extension that cannot be
/// processed is rejected).
/// </summary>
internal readonly record struct CertificateUsageExtensions(
    bool? CertificateAuthority,
    X509KeyUsageFlags? KeyUsages,
    bool KeyUsageCritical,
    IReadOnlyList<string>? ExtendedKeyUsages)
{
    /// <summary>Decodes the three extensions (the first of each, as the rules read them); null or the error text.</summary>
    public static string? TryRead(X509Certificate2 certificate, out CertificateUsageExtensions extensions)
    {
        extensions = default;
        bool? ca = null;
        X509KeyUsageFlags? keyUsages = null;
        bool keyUsageCritical = false;
        List<string>? ekus = null;
        foreach (var extension in certificate.Extensions)
        {
            switch (extension)
            {
                case X509BasicConstraintsExtension basic when ca is null:
                    if (!TryDecode(() => basic.CertificateAuthority, out bool isCa))
                    {
                        return "x509svid: certificate has a malformed basic constraints extension";
                    }

                    ca = isCa;
                    break;
                case X509KeyUsageExtension usage when keyUsages is null:
                    if (!TryDecode(() => usage.KeyUsages, out var flags))
                    {
                        return "x509svid: certificate has a malformed key usage extension";
                    }

                    keyUsages = flags;
                    keyUsageCritical = usage.Critical;
                    break;
                case X509EnhancedKeyUsageExtension enhanced when ekus is null:
                    if (!TryDecode(() => ReadOids(enhanced), out var oids))
                    {
                        return "x509svid: certificate has a malformed extended key usage extension";
                    }

                    ekus = oids;
                    break;
            }
        }

        extensions = new CertificateUsageExtensions(ca, keyUsages, keyUsageCritical, ekus);
        return null;
    }

    private static List<string> ReadOids(X509EnhancedKeyUsageExtension extension)
    {
        var oids = new List<string>();
        foreach (var usage in extension.EnhancedKeyUsages)
        {
            oids.Add(usage.Value ?? string.Empty);
        }

        return oids;
    }

    private static bool TryDecode<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            value = default!;
            return false;
        }
    }
}
