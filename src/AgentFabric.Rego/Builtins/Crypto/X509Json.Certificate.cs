using System.Formats.Asn1;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class X509Json
{
    private static readonly string[] ExtKeyUsageOids =
    [
        "2.5.29.37.0", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.3", "1.3.6.1.5.5.7.3.4",
        "1.3.6.1.5.5.7.3.5", "1.3.6.1.5.5.7.3.6", "1.3.6.1.5.5.7.3.7", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
        "1.3.6.1.4.1.311.10.3.3", "2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.2.1.22", "1.3.6.1.4.1.311.61.1.1",
    ];

    /// <summary>One DER certificate (RFC 5280 §4.1) as Go's <c>x509.Certificate</c> plus OPA's <c>URIStrings</c>.
    /// Throws <see cref="AsnContentException"/> when the DER is malformed.</summary>
    public static ObjectValue Certificate(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var cert = outer.ReadSequence();
        var tbsRaw = cert.PeekEncodedValue();
        var tbs = cert.ReadSequence();
        var sigAlg = cert.ReadSequence().ReadObjectIdentifier();
        var signature = cert.ReadBitString(out _);
        if (cert.HasData || outer.HasData)
        {
            throw new AsnContentException("trailing data");
        }

        var version = 0;
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
        {
            var v = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true));
            version = (int)v.ReadInteger();
        }

        var serial = tbs.ReadInteger();
        tbs.ReadSequence();
        var issuer = tbs.ReadEncodedValue();
        var validity = tbs.ReadSequence();
        var notBefore = ReadTime(validity);
        var notAfter = ReadTime(validity);
        var subject = tbs.ReadEncodedValue();
        var spki = tbs.ReadEncodedValue();
        var spkiAlg = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
        var ext = new CertificateExtensions();
        while (tbs.HasData)
        {
            var tag = tbs.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3, true)))
            {
                ext.Read(tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3, true)).ReadSequence());
            }
            else
            {
                tbs.ReadEncodedValue();
            }
        }

        var b = new ObjectValue.Builder(64);
        b.Set("Raw", Bytes(der.Span));
        b.Set("RawTBSCertificate", Bytes(tbsRaw.Span));
        b.Set("RawSubjectPublicKeyInfo", Bytes(spki.Span));
        b.Set("RawSubject", Bytes(subject.Span));
        b.Set("RawIssuer", Bytes(issuer.Span));
        b.Set("Signature", Bytes(signature));
        b.Set("SignatureAlgorithm", NumberValue.Create(SignatureAlgorithm(sigAlg)));
        b.Set("PublicKeyAlgorithm", NumberValue.Create(PublicKeyAlgorithm(spkiAlg)));
        b.Set("PublicKey", PublicKey(spki));
        b.Set("Version", NumberValue.Create(version + 1));
        b.Set("SerialNumber", NumberValue.Create(serial));
        b.Set("Issuer", Name(issuer));
        b.Set("Subject", Name(subject));
        b.Set("NotBefore", Time(notBefore));
        b.Set("NotAfter", Time(notAfter));
        ext.WriteTo(b);
        return b.ToValue();
    }

    private static DateTimeOffset ReadTime(AsnReader r) =>
        r.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? r.ReadUtcTime() : r.ReadGeneralizedTime();
}
