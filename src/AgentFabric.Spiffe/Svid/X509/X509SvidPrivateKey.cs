using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Spiffe.Svid.X509;

/// <summary>Reads an SVID's PKCS#8 private key (ECDSA or RSA) and checks that it matches the leaf.</summary>
internal static class X509SvidPrivateKey
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>Imports an unencrypted PKCS#8 PrivateKeyInfo (RFC 5208 §5).</summary>
    public static string? TryImport(ReadOnlySpan<byte> pkcs8, out AsymmetricAlgorithm key)
    {
        key = null!;
        string algorithm;
        try
        {
            var reader = new AsnReader(pkcs8.ToArray(), AsnEncodingRules.BER);
            var info = reader.ReadSequence();
            info.ReadInteger();
            var algorithmIdentifier = info.ReadSequence();
            algorithm = algorithmIdentifier.ReadObjectIdentifier();
        }
        catch (AsnContentException ex)
        {
            return "x509svid: cannot parse private key: " + ex.Message;
        }

        try
        {
            switch (algorithm)
            {
                case EcPublicKeyOid:
                    var ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(pkcs8, out _);
                    key = ec;
                    return null;
                case RsaEncryptionOid:
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    key = rsa;
                    return null;
                default:
                    return $"x509svid: unsupported private key algorithm {algorithm} (expected ECDSA or RSA)";
            }
        }
        catch (CryptographicException ex)
        {
            return "x509svid: cannot parse private key: " + ex.Message;
        }
        catch (PlatformNotSupportedException)
        {
            // An EC key on a curve this platform does not implement (an unknown or unsupported named-curve OID).
            return "x509svid: unsupported private key curve (expected a named curve this platform supports)";
        }
    }

    /// <summary>The leaf with <paramref name="key"/> attached, when the key is the leaf's.</summary>
    public static string? TryAttach(X509Certificate2 leaf, AsymmetricAlgorithm key, out X509Certificate2 leafWithKey)
    {
        leafWithKey = null!;
        byte[] leafPublicKey = leaf.PublicKey.ExportSubjectPublicKeyInfo();
        byte[] keyPublicKey = key.ExportSubjectPublicKeyInfo();
        if (!leafPublicKey.AsSpan().SequenceEqual(keyPublicKey))
        {
            return "x509svid: leaf certificate does not match private key";
        }

        // CopyWithPrivateKey refuses a certificate that already has a key (one the caller owns): such a leaf is
        // attached through a fresh public copy. A public leaf is used as it is, saving a second decode.
        if (!leaf.HasPrivateKey)
        {
            leafWithKey = Attach(leaf, key);
            return null;
        }

        using var publicLeaf = X509CertificateLoader.LoadCertificate(leaf.RawData);
        leafWithKey = Attach(publicLeaf, key);
        return null;
    }

    private static X509Certificate2 Attach(X509Certificate2 publicLeaf, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => publicLeaf.CopyWithPrivateKey(ec),
        RSA rsa => publicLeaf.CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException("unreachable: key type checked on import"),
    };

    /// <summary>The private key held by a certificate (ECDSA or RSA).</summary>
    public static AsymmetricAlgorithm? FromCertificate(X509Certificate2 certificate) =>
        (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey();
}
