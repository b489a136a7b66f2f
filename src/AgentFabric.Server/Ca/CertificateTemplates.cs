using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Server.Config;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>The extensions of the certificates the CA issues, as X509-SVID §4 and §5 require.</summary>
internal static class CertificateTemplates
{
    private static readonly X500DistinguishedName s_svidSubject = new("O=AgentFabric");

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

    public static CertificateRequest Leaf(PublicKey publicKey, SpiffeId id, IReadOnlyList<string> dnsNames, X509Certificate2 issuer)
    {
        var subject = dnsNames.Count > 0 ? new X500DistinguishedName($"O=AgentFabric, CN={dnsNames[0]}") : s_svidSubject;
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256);

        // X509-SVID §4.1: leaf cA false; §4.3: digitalSignature, no keyCertSign/cRLSign; §4.4: EKU serverAuth+clientAuth.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));

        // X509-SVID §2: exactly one URI SAN, the SPIFFE ID; DNS names may follow.
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(id.ToString()));
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

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
