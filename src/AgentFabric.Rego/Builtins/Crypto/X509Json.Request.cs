using System.Formats.Asn1;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class X509Json
{
    /// <summary>A DER certificate signing request (RFC 2986 §4) as Go's <c>x509.CertificateRequest</c>.</summary>
    public static ObjectValue CertificateRequest(ReadOnlyMemory<byte> der)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        var csr = outer.ReadSequence();
        var infoRaw = csr.PeekEncodedValue();
        var info = csr.ReadSequence();
        var sigAlg = csr.ReadSequence().ReadObjectIdentifier();
        var signature = csr.ReadBitString(out _);
        var version = info.ReadInteger();
        var subject = info.ReadEncodedValue();
        var spki = info.ReadEncodedValue();
        var spkiAlg = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
        var ext = new CertificateExtensions();
        if (info.HasData)
        {
            // §4.1 attributes; the extensionRequest attribute (RFC 2985 §5.4.2) carries the requested extensions.
            var attributes = info.ReadSetOf(skipSortOrderValidation: true, new Asn1Tag(TagClass.ContextSpecific, 0, true));
            while (attributes.HasData)
            {
                var attribute = attributes.ReadSequence();
                var type = attribute.ReadObjectIdentifier();
                var values = attribute.ReadSetOf(skipSortOrderValidation: true);
                while (values.HasData)
                {
                    if (type == "1.2.840.113549.1.9.14")
                    {
                        ext.Read(values.ReadSequence());
                    }
                    else
                    {
                        values.ReadEncodedValue();
                    }
                }
            }
        }

        var all = new ObjectValue.Builder(32);
        ext.WriteTo(all);
        var fields = all.ToValue();
        var b = new ObjectValue.Builder(24);
        b.Set("Raw", Bytes(der.Span));
        b.Set("RawTBSCertificateRequest", Bytes(infoRaw.Span));
        b.Set("RawSubjectPublicKeyInfo", Bytes(spki.Span));
        b.Set("RawSubject", Bytes(subject.Span));
        b.Set("Version", NumberValue.Create(version));
        b.Set("Signature", Bytes(signature));
        b.Set("SignatureAlgorithm", NumberValue.Create(SignatureAlgorithm(sigAlg)));
        b.Set("PublicKeyAlgorithm", NumberValue.Create(PublicKeyAlgorithm(spkiAlg)));
        b.Set("PublicKey", PublicKey(spki));
        b.Set("Subject", Name(subject));
        b.Set("Attributes", NullValue.Instance);
        foreach (var key in (ReadOnlySpan<string>)["Extensions", "ExtraExtensions", "DNSNames", "EmailAddresses", "IPAddresses", "URIs"])
        {
            b.Set(key, fields.Get(key) ?? NullValue.Instance);
        }

        return b.ToValue();
    }
}
