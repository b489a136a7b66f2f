using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>
/// The per-certificate rules of X509-SVID.md, shared by <see cref="X509Svid"/> (our own SVID, on load) and
/// <see cref="X509SvidVerifier"/> (a peer's SVID). Each method returns null when the certificate complies, else the
/// exact error text.
/// </summary>
internal static class X509SvidRules
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>The SPIFFE ID in the certificate's single URI SAN (X509-SVID §2).</summary>
    public static string? TryGetId(X509Certificate2 certificate, out SpiffeId id, out bool sanCritical)
    {
        id = default;
        string? sanError = SubjectAlternativeNames.TryReadUris(certificate, out var uris, out sanCritical);
        if (sanError is not null)
        {
            return "x509svid: " + sanError;
        }

        // X509-SVID §2: exactly one URI SAN; more than one MUST be rejected.
        if (uris.Count == 0)
        {
            return "x509svid: certificate contains no URI SAN";
        }

        if (uris.Count > 1)
        {
            return "x509svid: certificate contains more than one URI SAN";
        }

        // X509-SVID §5.2: the URI is a SPIFFE ID (scheme "spiffe", valid per SPIFFE-ID §2).
        if (!SpiffeId.TryParse(uris[0], out id, out var idError))
        {
            return "x509svid: certificate URI SAN is not a valid SPIFFE ID: " + idError;
        }

        return null;
    }

    /// <summary>All rules for a leaf SVID; on success <paramref name="id"/> is its SPIFFE ID.</summary>
    public static string? ValidateLeaf(X509Certificate2 leaf, out SpiffeId id)
    {
        string? error = TryGetId(leaf, out id, out bool sanCritical);
        if (error is not null)
        {
            return error;
        }

        // X509-SVID §3.1 and §5.2: a leaf's SPIFFE ID has a non-root path.
        if (id.IsRoot)
        {
            return "x509svid: leaf certificate SPIFFE ID must have a non-root path";
        }

        // X509-SVID §3.1 (RFC 5280 §4.1.2.6): without a subject the URI SAN extension is critical.
        if (leaf.SubjectName.RawData.Length <= 2 && !sanCritical)
        {
            return "x509svid: leaf certificate without subject must mark the URI SAN extension critical";
        }

        error = CertificateUsageExtensions.TryRead(leaf, out var extensions);
        if (error is not null)
        {
            return error;
        }

        // X509-SVID §4.1 and §5.2: a leaf has cA = false.
        if (extensions.CertificateAuthority is true)
        {
            return "x509svid: leaf certificate must not have CA flag set to true";
        }

        // X509-SVID §4.3: key usage is present and critical.
        if (extensions.KeyUsages is not { } keyUsages)
        {
            return "x509svid: leaf certificate must have the key usage extension";
        }

        if (!extensions.KeyUsageCritical)
        {
            return "x509svid: leaf certificate key usage extension must be critical";
        }

        // X509-SVID §4.3 and §5.2: no keyCertSign, no cRLSign.
        if (keyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return "x509svid: leaf certificate must not set key usage keyCertSign";
        }

        if (keyUsages.HasFlag(X509KeyUsageFlags.CrlSign))
        {
            return "x509svid: leaf certificate must not set key usage cRLSign";
        }

        // X509-SVID §4.3: digitalSignature is set.
        if (!keyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return "x509svid: leaf certificate must set key usage digitalSignature";
        }

        // X509-SVID §4.4: when present, extended key usage holds both serverAuth and clientAuth.
        if (extensions.ExtendedKeyUsages is { } eku && (!eku.Contains(ServerAuthOid) || !eku.Contains(ClientAuthOid)))
        {
            return "x509svid: leaf certificate extended key usage must include serverAuth and clientAuth";
        }

        return null;
    }

    /// <summary>The rules for a signing (CA) certificate of an SVID chain.</summary>
    public static string? ValidateSigningCertificate(X509Certificate2 certificate)
    {
        string? error = CertificateUsageExtensions.TryRead(certificate, out var extensions);
        if (error is not null)
        {
            return error;
        }

        // X509-SVID §3.2 and §4.1: a signing certificate has cA = true.
        if (extensions.CertificateAuthority is not true)
        {
            return "x509svid: signing certificate must have CA flag set to true";
        }

        // X509-SVID §3.2 and §4.3: a signing certificate sets keyCertSign.
        if (extensions.KeyUsages is not { } keyUsages || !keyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return "x509svid: signing certificate must set key usage keyCertSign";
        }

        // X509-SVID §3.2: if a signing certificate has a SPIFFE ID, it has no path.
        if (SubjectAlternativeNames.TryReadUris(certificate, out var uris, out _) is null &&
            uris.Count == 1 &&
            SpiffeId.TryParse(uris[0], out var id) &&
            !id.IsRoot)
        {
            return "x509svid: signing certificate SPIFFE ID must not have a path";
        }

        return null;
    }
}
