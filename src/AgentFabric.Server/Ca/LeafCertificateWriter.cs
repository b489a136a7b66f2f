using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Writes an X.509-SVID leaf certificate (RFC 5280 §4.1) directly as DER and signs it with the CA key, without
/// creating certificate objects: on OpenSSL 3 parsing a certificate costs several ECDSA signatures.
/// </summary>
internal sealed class LeafCertificateWriter
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    // X509-SVID §4.1: cA false; §4.3: digitalSignature (+ keyEncipherment, keyAgreement), never keyCertSign/cRLSign;
    // §4.4: serverAuth and clientAuth.
    private static readonly X509Extension s_basicConstraints = new X509BasicConstraintsExtension(false, false, 0, true);
    private static readonly X509Extension s_keyUsage = new X509KeyUsageExtension(
        X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, true);
    private static readonly X509Extension s_extendedKeyUsage = new X509EnhancedKeyUsageExtension(
        new OidCollection { new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2") }, false);
    private static readonly byte[] s_defaultSubject = new X500DistinguishedName("O=AgentFabric").RawData;

    private readonly X509Certificate2 _issuer;
    private readonly ECDsa _key;
    private readonly byte[] _authorityKeyIdentifier;

    public LeafCertificateWriter(X509Certificate2 issuer, ECDsa key)
    {
        _issuer = issuer;
        _key = key;
        _authorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false).RawData;
    }

    public byte[] Write(byte[] subjectPublicKeyInfo, SpiffeId id, IReadOnlyList<string> dnsNames, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serial)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            // RFC 5280 §4.1.2.1: v3.
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.WriteInteger(2);
            }

            tbs.WriteIntegerUnsigned(serial);
            WriteAlgorithm(tbs);
            tbs.WriteEncodedValue(_issuer.SubjectName.RawData);
            using (tbs.PushSequence())
            {
                WriteTime(tbs, notBefore);
                WriteTime(tbs, notAfter);
            }

            tbs.WriteEncodedValue(dnsNames.Count > 0 ? new X500DistinguishedName($"O=AgentFabric, CN={dnsNames[0]}").RawData : s_defaultSubject);
            tbs.WriteEncodedValue(subjectPublicKeyInfo);
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
            using (tbs.PushSequence())
            {
                WriteExtension(tbs, s_basicConstraints.Oid!.Value!, true, s_basicConstraints.RawData);
                WriteExtension(tbs, s_keyUsage.Oid!.Value!, true, s_keyUsage.RawData);
                WriteExtension(tbs, s_extendedKeyUsage.Oid!.Value!, false, s_extendedKeyUsage.RawData);
                WriteExtension(tbs, "2.5.29.14", false, SubjectKeyIdentifier(subjectPublicKeyInfo));
                WriteExtension(tbs, "2.5.29.35", false, _authorityKeyIdentifier);

                // X509-SVID §2: exactly one URI SAN, the SPIFFE ID; DNS names may follow.
                var san = new SubjectAlternativeNameBuilder();
                san.AddUri(new Uri(id.ToString()));
                foreach (var dns in dnsNames)
                {
                    san.AddDnsName(dns);
                }

                WriteExtension(tbs, "2.5.29.17", false, san.Build().RawData);
            }
        }

        var tbsBytes = tbs.Encode();
        var signature = _key.SignData(tbsBytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbsBytes);
            WriteAlgorithm(certificate);
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    private static void WriteAlgorithm(AsnWriter writer)
    {
        // RFC 5758 §3.2: ecdsa-with-SHA256 has no parameters.
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(EcdsaWithSha256);
        }
    }

    private static void WriteTime(AsnWriter writer, DateTimeOffset time)
    {
        // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
        var utc = time.ToUniversalTime();
        if (utc.Year < 2050)
        {
            writer.WriteUtcTime(utc);
        }
        else
        {
            writer.WriteGeneralizedTime(utc, omitFractionalSeconds: true);
        }
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(value);
        }
    }

    private static byte[] SubjectKeyIdentifier(byte[] subjectPublicKeyInfo)
    {
        // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value.
        var spki = new AsnReader(subjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        spki.ReadSequence();
        var key = spki.ReadBitString(out _);
#pragma warning disable CA5350 // SHA-1 is what RFC 5280 prescribes for key identifiers; not a security use.
        var hash = SHA1.HashData(key);
#pragma warning restore CA5350
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(hash);
        return writer.Encode();
    }
}
