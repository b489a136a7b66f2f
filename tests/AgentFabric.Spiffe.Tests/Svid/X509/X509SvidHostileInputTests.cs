using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.Tests.Pki;

namespace AgentFabric.Spiffe.Tests.Svid.X509;

/// <summary>
/// Corrupt extensions and keys (issue #13): X509Svid.ParseRaw/TryParseRaw and X509SvidVerifier.Verify answer with
/// <see cref="X509SvidException"/> and an exact message; the Try* methods return false and never throw. The DER of each
/// corrupt extension value is written by hand with <see cref="AsnWriter"/>.
/// </summary>
public class X509SvidHostileInputTests
{
    private const string KeyUsageOid = "2.5.29.15";
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string SanOid = "2.5.29.17";

    public static TheoryData<string, byte[], string> CorruptExtensions => new()
    {
        // RFC 5280 §4.2.1.3: KeyUsage ::= BIT STRING.
        { KeyUsageOid, Der(w => w.WriteOctetString([0x80])), "x509svid: certificate has a malformed key usage extension" },
        { KeyUsageOid, [0x03, 0x09, 0x00], "x509svid: certificate has a malformed key usage extension" },
        { KeyUsageOid, [], "x509svid: certificate has a malformed key usage extension" },
        { KeyUsageOid, Der(w => w.WriteNull()), "x509svid: certificate has a malformed key usage extension" },

        // RFC 5280 §4.2.1.9: BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }.
        { BasicConstraintsOid, Der(w => w.WriteInteger(1)), "x509svid: certificate has a malformed basic constraints extension" },
        { BasicConstraintsOid, [0x30, 0x05, 0x01, 0x01], "x509svid: certificate has a malformed basic constraints extension" },
        { BasicConstraintsOid, Der(w => { using (w.PushSequence()) { w.WriteCharacterString(UniversalTagNumber.UTF8String, "yes"); } }), "x509svid: certificate has a malformed basic constraints extension" },

        // RFC 5280 §4.2.1.12: ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (an OBJECT IDENTIFIER).
        { ExtendedKeyUsageOid, Der(w => { using (w.PushSequence()) { w.WriteInteger(7); } }), "x509svid: certificate has a malformed extended key usage extension" },
        { ExtendedKeyUsageOid, [0x30, 0x04, 0x06, 0x08], "x509svid: certificate has a malformed extended key usage extension" },
        { ExtendedKeyUsageOid, Der(w => w.WriteBoolean(true)), "x509svid: certificate has a malformed extended key usage extension" },

        // RFC 5280 §4.2.1.6: GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName.
        { SanOid, [0x30, 0x10, 0x86, 0x02], "x509svid: certificate has a malformed subject alternative name extension" },
        { SanOid, Der(w => w.WriteInteger(3)), "x509svid: certificate has a malformed subject alternative name extension" },
    };

    [Theory]
    [MemberData(nameof(CorruptExtensions))]
    public void CorruptExtension_RefusedWithDocumentedException(string oid, byte[] value, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = Leaf(key, oid, value);
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();

        Assert.Equal(expected, Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(leaf.RawData, pkcs8)).Message);
        Assert.False(X509Svid.TryParseRaw(leaf.RawData, pkcs8, out var svid, out var error));
        Assert.Null(svid);
        Assert.Equal(expected, error);
        Assert.Equal(expected, Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify([leaf], TestPki.Bundle, TestClock.Provider)).Message);
        Assert.Equal(expected, Assert.Throws<X509SvidException>(() => X509SvidVerifier.ParseAndVerify(leaf.RawData, TestPki.Bundle, TestClock.Provider)).Message);
    }

    [Fact]
    public void CorruptExtensionInSigningCertificate_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var good = Leaf(key, oid: null, value: null);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ca", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509Extension(BasicConstraintsOid, Der(w => w.WriteInteger(1)), critical: true));
        using var ca = request.CreateSelfSigned(TestClock.Now.AddHours(-1), TestClock.Now.AddHours(1));
        byte[] chain = [.. good.RawData, .. ca.RawData];

        const string Expected = "x509svid: certificate has a malformed basic constraints extension";
        Assert.Equal(Expected, Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(chain, key.ExportPkcs8PrivateKey())).Message);
        Assert.False(X509Svid.TryParseRaw(chain, key.ExportPkcs8PrivateKey(), out _, out var error));
        Assert.Equal(Expected, error);
    }

    public static TheoryData<byte[], string> HostileKeys => new()
    {
        // RFC 5915 §3 / RFC 5480 §2.1.1: an EC key on a named curve no platform knows.
        { EcPkcs8("1.3.6.1.4.1.99999.1"), "x509svid: unsupported private key curve (expected a named curve this platform supports)" },
        { Pkcs8Algorithm("1.2.840.10040.4.1"), "x509svid: unsupported private key algorithm 1.2.840.10040.4.1 (expected ECDSA or RSA)" },
        { [0x30, 0x03, 0x02, 0x01], "x509svid: cannot parse private key: The encoded length exceeds the number of bytes remaining in the input buffer." },
    };

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public void HostilePrivateKey_RefusedWithDocumentedException(byte[] pkcs8, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = Leaf(key, oid: null, value: null);
        Assert.Equal(expected, Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(leaf.RawData, pkcs8)).Message);
        Assert.False(X509Svid.TryParseRaw(leaf.RawData, pkcs8, out var svid, out var error));
        Assert.Null(svid);
        Assert.Equal(expected, error);
    }

    // RFC 5280 §4.1.2.5: a validity date the platform cannot decode (the BCL reads it lazily and threw
    // CryptographicException from NotBefore/NotAfter, found by fuzzing). The leaf's notBefore UTCTime gets a letter.
    [Fact]
    public void CorruptValidityDate_RefusedWithDocumentedException()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var good = Leaf(key, oid: null, value: null);
        var der = good.RawData;
        var at = der.AsSpan().IndexOf([(byte)0x17, (byte)0x0D]); // UTCTime, 13 bytes: YYMMDDHHMMSSZ
        der[at + 4] = (byte)'x';
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();

        const string Expected = "x509svid: cannot parse certificates: cannot parse certificate: the validity dates cannot be decoded";
        Assert.Equal(Expected, Assert.Throws<X509SvidException>(() => X509Svid.ParseRaw(der, pkcs8)).Message);
        Assert.False(X509Svid.TryParseRaw(der, pkcs8, out _, out var error));
        Assert.Equal(Expected, error);
        Assert.Equal(Expected, Assert.Throws<X509SvidException>(() => X509SvidVerifier.ParseAndVerify(der, TestPki.Bundle, TestClock.Provider)).Message);

        // A certificate object the caller loaded itself reaches Verify: its dates are read once, in a try.
        using var loaded = X509CertificateLoader.LoadCertificate(der);
        Assert.Equal(
            "x509svid: leaf certificate has malformed validity dates",
            Assert.Throws<X509SvidException>(() => X509SvidVerifier.Verify([loaded], TestPki.Bundle, TestClock.Provider)).Message);
    }

    [Fact]
    public void ValidLeafFromThisBuilder_Parses()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = Leaf(key, oid: null, value: null);
        var svid = X509Svid.ParseRaw(leaf.RawData, key.ExportPkcs8PrivateKey());
        Assert.Equal("spiffe://example.org/web", svid.Id.ToString());
    }

    // A self-signed leaf that passes every X509-SVID rule, except for the one extension replaced by raw bytes.
    private static X509Certificate2 Leaf(ECDsa key, string? oid, byte[]? value)
    {
        var request = new CertificateRequest("CN=web", key, HashAlgorithmName.SHA256);
        var extensions = new List<X509Extension>
        {
            new X509BasicConstraintsExtension(false, false, 0, critical: true),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true),
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false),
            San(),
        };
        if (oid is not null)
        {
            extensions.RemoveAll(e => e.Oid!.Value == oid);
            extensions.Add(new X509Extension(oid, value!, critical: true));
        }

        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        // Signed through a generator: CreateSelfSigned would itself trip over the corrupt key usage.
        return request.Create(
            new X500DistinguishedName("CN=web"), X509SignatureGenerator.CreateForECDsa(key),
            TestClock.Now.AddHours(-1), TestClock.Now.AddHours(1), [1]);
    }

    private static X509Extension San()
    {
        var builder = new SubjectAlternativeNameBuilder();
        builder.AddUri(new Uri("spiffe://example.org/web"));
        return builder.Build(critical: false);
    }

    private static byte[] Der(Action<AsnWriter> write)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        write(writer);
        return writer.Encode();
    }

    private static byte[] EcPkcs8(string curveOid) => Der(w =>
    {
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("1.2.840.10045.2.1");
                w.WriteObjectIdentifier(curveOid);
            }

            w.WriteOctetString(Der(inner =>
            {
                using (inner.PushSequence())
                {
                    inner.WriteInteger(1);
                    inner.WriteOctetString(new byte[32]);
                }
            }));
        }
    });

    private static byte[] Pkcs8Algorithm(string algorithmOid) => Der(w =>
    {
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(algorithmOid);
            }

            w.WriteOctetString([0x30, 0x00]);
        }
    });
}
