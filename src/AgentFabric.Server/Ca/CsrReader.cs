using System.Formats.Asn1;
using System.Security.Cryptography;

namespace AgentFabric.Server.Ca;

/// <summary>
/// Reads a PKCS#10 CSR (RFC 2986) and checks its self-signature (proof that the caller holds the key). Only the
/// public key is used: the SPIFFE ID and DNS names come from the registration entry, never from the CSR's subject or
/// attributes. Parsed by hand so that the key is imported once, for the signature check only (importing keys is the
/// dominant cost of signing with OpenSSL 3).
/// </summary>
public static class CsrReader
{
    private const string EcPublicKey = "1.2.840.10045.2.1";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    /// <summary>The CSR's SubjectPublicKeyInfo (DER), after its signature verified.</summary>
    public static byte[] ReadPublicKey(ReadOnlySpan<byte> csrDer)
    {
        if (csrDer.IsEmpty)
        {
            throw new CaException("ca: CSR is empty");
        }

        try
        {
            // RFC 2986 §4.2: CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature }
            var reader = new AsnReader(csrDer.ToArray(), AsnEncodingRules.DER);
            var request = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var info = request.ReadEncodedValue();
            var algorithm = request.ReadSequence();
            var signatureOid = algorithm.ReadObjectIdentifier();
            var signature = request.ReadBitString(out var unused);
            request.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw new CaException("ca: CSR is malformed or its signature does not verify: signature bit string has unused bits");
            }

            // RFC 2986 §4.1: CertificationRequestInfo ::= SEQUENCE { version 0, subject, subjectPKInfo, [0] attributes }
            var infoReader = new AsnReader(info, AsnEncodingRules.DER).ReadSequence();
            if (!infoReader.TryReadInt32(out var version) || version != 0)
            {
                throw new CaException("ca: CSR is malformed or its signature does not verify: version is not 0");
            }

            infoReader.ReadEncodedValue();
            var spki = infoReader.ReadEncodedValue().ToArray();
            var keyOid = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadObjectIdentifier();
            if (!Verify(keyOid, signatureOid, spki, info.Span, signature))
            {
                throw new CaException("ca: CSR is malformed or its signature does not verify: bad signature");
            }

            return spki;
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new CaException($"ca: CSR is malformed or its signature does not verify: {e.Message}", e);
        }
    }

    private static bool Verify(string keyOid, string signatureOid, byte[] spki, ReadOnlySpan<byte> info, byte[] signature)
    {
        switch (keyOid)
        {
            case EcPublicKey:
                var ecHash = signatureOid switch
                {
                    "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
                    "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
                    "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
                    _ => throw new CaException($"ca: CSR signature algorithm {signatureOid} is not supported with an EC key"),
                };
                using (var ec = ECDsa.Create())
                {
                    ec.ImportSubjectPublicKeyInfo(spki, out _);
                    return ec.VerifyData(info, signature, ecHash, DSASignatureFormat.Rfc3279DerSequence);
                }

            case RsaEncryption:
                var rsaHash = signatureOid switch
                {
                    "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
                    "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
                    "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
                    _ => throw new CaException($"ca: CSR signature algorithm {signatureOid} is not supported with an RSA key"),
                };
                using (var rsa = RSA.Create())
                {
                    rsa.ImportSubjectPublicKeyInfo(spki, out _);
                    return rsa.VerifyData(info, signature, rsaHash, RSASignaturePadding.Pkcs1);
                }

            default:
                throw new CaException($"ca: CSR key algorithm {keyOid} is not supported (EC or RSA)");
        }
    }
}
