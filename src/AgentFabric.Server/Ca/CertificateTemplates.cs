using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Config;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>The CA certificate template (X509-SVID §4.1, §4.3) and serial numbers; leaves are written by
/// <see cref="LeafCertificateWriter"/>.</summary>
internal static class CertificateTemplates
{
    // Clock skew between server and peers: SVIDs start a little in the past, as SPIRE's do.
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(10);

    public static CertificateRequest CaTemplate(CaSubject subject, string serial, ECDsa key, TrustDomain trustDomain) =>
        Ca(CaSubjectName(subject, serial), key, trustDomain);

    public static X500DistinguishedName CaSubjectName(CaSubject subject, string serial)
    {
        var builder = new X500DistinguishedNameBuilder();
        foreach (var c in subject.Country)
        {
            builder.AddCountryOrRegion(c);
        }

        foreach (var o in subject.Organization)
        {
            builder.AddOrganizationName(o);
        }

        builder.AddCommonName(subject.CommonName);

        // A serial number attribute keeps successive CAs' subjects distinct, so chain building never confuses them.
        builder.Add("2.5.4.5", serial);
        return builder.Build();
    }

    public static CertificateRequest Ca(X500DistinguishedName subject, ECDsa key, TrustDomain trustDomain)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);

        // X509-SVID §4.1: signing certificates set cA true; §4.3: keyCertSign (and cRLSign) key usage.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // X509-SVID §4.1: a signing certificate may carry the trust domain's SPIFFE ID.
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(trustDomain.IdString));
        request.CertificateExtensions.Add(san.Build());
        return request;
    }

    public static byte[] NewSerial()
    {
        // RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random bytes make it unique.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
