using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Tests.Pki;

/// <summary>
/// A certificate authority built in-test with <see cref="CertificateRequest"/>: a root of a trust domain, an
/// intermediate under it, and leaves with any mix of (in)valid X509-SVID properties.
/// </summary>
internal sealed class TestCa
{
    private const string SanOid = "2.5.29.17";
    private const string PlaceholderOid = "2.5.29.99";

    private TestCa(X509Certificate2 certificate, TestCa? parent)
    {
        Certificate = certificate;
        Parent = parent;
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public TestCa? Parent { get; }

    /// <summary>The CA certificate without its private key (as a bundle holds it).</summary>
    public X509Certificate2 PublicCertificate => X509CertificateLoader.LoadCertificate(Certificate.RawData);

    /// <summary>Certificates from this CA up to (excluding) the root, to send after a leaf.</summary>
    public IReadOnlyList<X509Certificate2> IntermediatesToRoot
    {
        get
        {
            var list = new List<X509Certificate2>();
            for (var ca = this; ca.Parent is not null; ca = ca.Parent)
            {
                list.Add(ca.PublicCertificate);
            }

            return list;
        }
    }

    private static int s_serial;

    public static TestCa CreateRoot(string trustDomain) =>
        CreateRoot(TestCertificateOptions.Authority("spiffe://" + trustDomain) with { Subject = UniqueSubject() });

    /// <summary>A distinct CA subject so that path building never confuses two test CAs.</summary>
    public static string UniqueSubject() => $"CN=test authority {Interlocked.Increment(ref s_serial)}";

    public static TestCa CreateRoot(TestCertificateOptions options)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = BuildRequest(options, key, issuer: null);
        return new TestCa(request.CreateSelfSigned(options.NotBefore, options.NotAfter), parent: null);
    }

    public TestCa CreateIntermediate(string trustDomain) =>
        CreateIntermediate(TestCertificateOptions.Authority("spiffe://" + trustDomain) with
        {
            Subject = UniqueSubject(),
            NotBefore = TestClock.Now.AddDays(-1),
            NotAfter = TestClock.Now.AddDays(10),
        });

    public TestCa CreateIntermediate(TestCertificateOptions options) => new(Issue(options), this);

    /// <summary>Issues a certificate with its private key attached.</summary>
    public X509Certificate2 Issue(TestCertificateOptions options)
    {
        if (options.KeyType == "rsa")
        {
            using var rsa = RSA.Create(2048);
            var request = BuildRequest(options, rsa, Certificate);
            using var issued = Sign(request, options);
            return issued.CopyWithPrivateKey(rsa);
        }

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = BuildRequest(options, ec, Certificate);
        using var ecIssued = Sign(ecRequest, options);
        if (options.DuplicateSan)
        {
            // 2.5.29.99 -> 2.5.29.17 (same length). The signature no longer verifies; only loading is under test.
            var der = ecIssued.RawData;
            int at = der.AsSpan().IndexOf(new byte[] { 0x06, 0x03, 0x55, 0x1D, 0x63 });
            der[at + 4] = 0x11;
            using var patched = X509CertificateLoader.LoadCertificate(der);
            return patched.CopyWithPrivateKey(ec);
        }

        return ecIssued.CopyWithPrivateKey(ec);
    }

    private X509Certificate2 Sign(CertificateRequest request, TestCertificateOptions options)
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        // The generator overload skips CertificateRequest's own issuer checks (CA flag, validity nesting), so that
        // deliberately broken chains can be built.
        using var issuerKey = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("test CAs use ECDSA keys");
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        return request.Create(Certificate.SubjectName, generator, options.NotBefore, options.NotAfter, serial);
    }

    private static CertificateRequest BuildRequest(TestCertificateOptions options, ECDsa key, X509Certificate2? issuer) =>
        AddExtensions(new CertificateRequest(options.Subject, key, HashAlgorithmName.SHA256), options, issuer);

    private static CertificateRequest BuildRequest(TestCertificateOptions options, RSA key, X509Certificate2? issuer) =>
        AddExtensions(
            new CertificateRequest(options.Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            options,
            issuer);

    private static CertificateRequest AddExtensions(
        CertificateRequest request,
        TestCertificateOptions options,
        X509Certificate2? issuer)
    {
        if (issuer is not null)
        {
            request.CertificateExtensions.Add(
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        if (options.IsCa is bool isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        }

        if (options.KeyUsage is X509KeyUsageFlags usage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, options.KeyUsageCritical));
        }

        if (options.ExtendedKeyUsages.Count > 0)
        {
            var oids = new OidCollection();
            foreach (var oid in options.ExtendedKeyUsages)
            {
                oids.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }

        if (options.RawSan is { } rawSan)
        {
            request.CertificateExtensions.Add(new X509Extension(SanOid, rawSan, options.SanCritical));
        }
        else if (options.Uris.Count > 0 || options.DnsNames.Count > 0)
        {
            request.CertificateExtensions.Add(new X509Extension(SanOid, EncodeSan(options), options.SanCritical));
            if (options.DuplicateSan)
            {
                // CertificateRequest refuses a repeated OID: add a placeholder, patched into a SAN after signing.
                request.CertificateExtensions.Add(new X509Extension(PlaceholderOid, EncodeSan(options), options.SanCritical));
            }
        }

        if (options.PermittedUriHosts.Count > 0)
        {
            request.CertificateExtensions.Add(new X509Extension("2.5.29.30", EncodeNameConstraints(options), critical: true));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    // RFC 5280 §4.2.1.10: NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees }
    private static byte[] EncodeNameConstraints(TestCertificateOptions options)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                foreach (var host in options.PermittedUriHosts)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, host, new Asn1Tag(TagClass.ContextSpecific, 6));
                    }
                }
            }
        }

        return writer.Encode();
    }

    // RFC 5280 §4.2.1.6, written by hand so that any URI text (even one System.Uri would reject) can be placed.
    private static byte[] EncodeSan(TestCertificateOptions options)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var dns in options.DnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            foreach (var uri in options.Uris)
            {
                writer.WriteOctetString(
                    System.Text.Encoding.Latin1.GetBytes(uri),
                    new Asn1Tag(TagClass.ContextSpecific, 6));
            }
        }

        return writer.Encode();
    }
}
