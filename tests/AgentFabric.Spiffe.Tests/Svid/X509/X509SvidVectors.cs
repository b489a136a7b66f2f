using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.X509;

/// <summary>
/// Named X.509-SVID loading vectors: each builds PEM certificates and a PEM key that break exactly one rule, with the
/// exact error expected from <c>X509Svid.Parse</c>.
/// </summary>
internal static class X509SvidVectors
{
    private const string Web = "spiffe://example.org/web";

    public static readonly IReadOnlyDictionary<string, (Func<(byte[] Certs, byte[] Key)> Build, string Error)> Negative =
        new Dictionary<string, (Func<(byte[], byte[])>, string)>
        {
            // X509-SVID §2
            ["no-uri-san"] = (() => Leaf(Opt() with { Uris = [], DnsNames = ["web"] }),
                "x509svid: certificate contains no URI SAN"),
            ["no-san-extension"] = (() => Leaf(Opt() with { Uris = [] }),
                "x509svid: certificate contains no URI SAN"),
            ["two-uri-sans"] = (() => Leaf(Opt() with { Uris = [Web, "spiffe://example.org/db"] }),
                "x509svid: certificate contains more than one URI SAN"),
            ["https-uri"] = (() => Leaf(Opt() with { Uris = ["https://example.org/web"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")"),
            ["uri-with-port"] = (() => Leaf(Opt() with { Uris = ["spiffe://example.org:443/web"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: port is not allowed"),
            ["uri-percent-encoded"] = (() => Leaf(Opt() with { Uris = ["spiffe://example.org/w%65b"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: percent-encoded characters are not allowed"),
            ["uri-with-query"] = (() => Leaf(Opt() with { Uris = ["spiffe://example.org/web?a=b"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: query is not allowed"),
            ["uri-non-ascii"] = (() => Leaf(Opt() with { Uris = ["spiffe://example.org/caf\u00e9"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: path segment characters are limited to letters, numbers, dots, dashes, and underscores"),
            ["san-not-a-sequence"] = (() => Leaf(Opt() with { RawSan = [0x04, 0x01, 0x00] }),
                "x509svid: certificate has a malformed subject alternative name extension"),
            ["san-truncated"] = (() => Leaf(Opt() with { RawSan = [0x30, 0x05, 0x86, 0x03, 0x61] }),
                "x509svid: certificate has a malformed subject alternative name extension"),
            ["san-uri-constructed"] = (() => Leaf(Opt() with { RawSan = [0x30, 0x05, 0xA6, 0x03, 0x16, 0x01, 0x61] }),
                "x509svid: certificate has a malformed subject alternative name extension"),
            ["san-extension-twice"] = (() => Leaf(Opt() with { DuplicateSan = true }),
                "x509svid: certificate has more than one subject alternative name extension"),
            ["uri-empty"] = (() => Leaf(Opt() with { RawSan = [0x30, 0x02, 0x86, 0x00] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: cannot be empty"),
            ["uri-uppercase-trust-domain"] = (() => Leaf(Opt() with { Uris = ["spiffe://Example.org/web"] }),
                "x509svid: certificate URI SAN is not a valid SPIFFE ID: spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores"),

            // X509-SVID §3.1
            ["root-path-id"] = (() => Leaf(Opt() with { Uris = ["spiffe://example.org"] }),
                "x509svid: leaf certificate SPIFFE ID must have a non-root path"),
            ["empty-subject-non-critical-san"] = (() => Leaf(Opt() with { Subject = "" }),
                "x509svid: leaf certificate without subject must mark the URI SAN extension critical"),

            // X509-SVID §4.1
            ["leaf-ca-true"] = (() => Leaf(Opt() with { IsCa = true }),
                "x509svid: leaf certificate must not have CA flag set to true"),

            // X509-SVID §4.3
            ["no-key-usage"] = (() => Leaf(Opt() with { KeyUsage = null }),
                "x509svid: leaf certificate must have the key usage extension"),
            ["key-usage-not-critical"] = (() => Leaf(Opt() with { KeyUsageCritical = false }),
                "x509svid: leaf certificate key usage extension must be critical"),
            ["leaf-key-cert-sign"] = (() => Leaf(Opt() with { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign }),
                "x509svid: leaf certificate must not set key usage keyCertSign"),
            ["leaf-crl-sign"] = (() => Leaf(Opt() with { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign }),
                "x509svid: leaf certificate must not set key usage cRLSign"),
            ["no-digital-signature"] = (() => Leaf(Opt() with { KeyUsage = X509KeyUsageFlags.KeyEncipherment }),
                "x509svid: leaf certificate must set key usage digitalSignature"),

            // X509-SVID §4.4
            ["eku-server-only"] = (() => Leaf(Opt() with { ExtendedKeyUsages = [TestPki.ServerAuth] }),
                "x509svid: leaf certificate extended key usage must include serverAuth and clientAuth"),
            ["eku-client-only"] = (() => Leaf(Opt() with { ExtendedKeyUsages = [TestPki.ClientAuth] }),
                "x509svid: leaf certificate extended key usage must include serverAuth and clientAuth"),

            // X509-SVID §3.2, §4.1, §4.3
            ["intermediate-not-ca"] = (() => UnderIntermediate(TestCertificateOptions.Authority("spiffe://example.org") with { IsCa = false }),
                "x509svid: signing certificate must have CA flag set to true"),
            ["intermediate-no-basic-constraints"] = (() => UnderIntermediate(TestCertificateOptions.Authority("spiffe://example.org") with { IsCa = null }),
                "x509svid: signing certificate must have CA flag set to true"),
            ["intermediate-without-key-cert-sign"] = (() => UnderIntermediate(TestCertificateOptions.Authority("spiffe://example.org") with { KeyUsage = X509KeyUsageFlags.CrlSign }),
                "x509svid: signing certificate must set key usage keyCertSign"),
            ["intermediate-with-path"] = (() => UnderIntermediate(TestCertificateOptions.Authority("spiffe://example.org/ca")),
                "x509svid: signing certificate SPIFFE ID must not have a path"),

            // Private key
            ["key-mismatch"] = (() => (Leaf(Opt()).Certs, Leaf(Opt()).Key),
                "x509svid: leaf certificate does not match private key"),
            ["key-wrong-pem-label"] = (() => (Leaf(Opt()).Certs, Pem("EC PRIVATE KEY", [1, 2, 3])),
                "x509svid: expected PEM block \"PRIVATE KEY\", got \"EC PRIVATE KEY\""),
            ["key-not-pem"] = (() => (Leaf(Opt()).Certs, "no key here"u8.ToArray()),
                "x509svid: cannot parse private key: no PEM blocks found"),
            ["key-unsupported-algorithm"] = (() => (Leaf(Opt()).Certs, Pem("PRIVATE KEY", Ed25519Pkcs8())),
                "x509svid: unsupported private key algorithm 1.3.101.112 (expected ECDSA or RSA)"),

            // Certificates
            ["certs-not-pem"] = (() => ("nothing"u8.ToArray(), Leaf(Opt()).Key),
                "x509svid: cannot parse certificates: no PEM blocks found"),
            ["certs-contain-key-block"] = (() => (Leaf(Opt()).Key, Leaf(Opt()).Key),
                "x509svid: cannot parse certificates: expected PEM block \"CERTIFICATE\", got \"PRIVATE KEY\""),
        };

    public static TheoryData<string> NegativeNames() => [.. Negative.Keys];

    private static TestCertificateOptions Opt() => TestCertificateOptions.Leaf(Web);

    public static (byte[] Certs, byte[] Key) Leaf(TestCertificateOptions options) => Encode([TestPki.Root.Issue(options)]);

    private static (byte[] Certs, byte[] Key) UnderIntermediate(TestCertificateOptions intermediate)
    {
        var ca = TestPki.Root.CreateIntermediate(intermediate);
        return Encode([ca.Issue(Opt()), ca.PublicCertificate]);
    }

    public static (byte[] Certs, byte[] Key) Encode(IReadOnlyList<X509Certificate2> chain)
    {
        var certs = new StringBuilder();
        foreach (var certificate in chain)
        {
            certs.Append(PemEncoding.Write("CERTIFICATE", certificate.RawData)).Append('\n');
        }

        using var key = (AsymmetricAlgorithm?)chain[0].GetECDsaPrivateKey() ?? chain[0].GetRSAPrivateKey()!;
        return (Encoding.ASCII.GetBytes(certs.ToString()), Pem("PRIVATE KEY", key.ExportPkcs8PrivateKey()));
    }

    private static byte[] Pem(string label, byte[] der) => Encoding.ASCII.GetBytes(new string(PemEncoding.Write(label, der)));

    // RFC 8410 §7 PrivateKeyInfo for an Ed25519 key (random bytes: only the algorithm matters here).
    private static byte[] Ed25519Pkcs8()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(RandomNumberGenerator.GetBytes(32));
            writer.WriteOctetString(inner.Encode());
        }

        return writer.Encode();
    }
}
