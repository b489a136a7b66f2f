using System.Security.Cryptography;

namespace AgentFabric.Authorization.Bundles;

/// <summary>JWS signature checks for bundle signatures (RFC 7518 §3): RSASSA-PKCS1-v1_5, RSASSA-PSS, ECDSA (R||S),
/// and HMAC with a shared secret.</summary>
internal static class JwsSignature
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512",
    };

    public static bool IsSupported(string algorithm) => Supported.Contains(algorithm);

    public static bool Verify(BundleVerificationKey key, byte[] signingInput, byte[] signature)
    {
        try
        {
            return key.Algorithm switch
            {
                "RS256" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                "RS384" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                "RS512" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                "PS256" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                "PS384" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
                "PS512" => Rsa(key, signingInput, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
                "ES256" => Ec(key, signingInput, signature, HashAlgorithmName.SHA256),
                "ES384" => Ec(key, signingInput, signature, HashAlgorithmName.SHA384),
                "ES512" => Ec(key, signingInput, signature, HashAlgorithmName.SHA512),
                "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Secret(key), signingInput), signature),
                "HS384" => CryptographicOperations.FixedTimeEquals(HMACSHA384.HashData(Secret(key), signingInput), signature),
                "HS512" => CryptographicOperations.FixedTimeEquals(HMACSHA512.HashData(Secret(key), signingInput), signature),
                _ => false,
            };
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A key that does not import (wrong type, bad PEM) cannot verify anything.
            return false;
        }
    }

    private static bool Rsa(BundleVerificationKey key, byte[] data, byte[] signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.Key);
        return rsa.VerifyData(data, signature, hash, padding);
    }

    private static bool Ec(BundleVerificationKey key, byte[] data, byte[] signature, HashAlgorithmName hash)
    {
        using var ec = ECDsa.Create();
        ec.ImportFromPem(key.Key);
        return ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static byte[] Secret(BundleVerificationKey key) => System.Text.Encoding.UTF8.GetBytes(key.Key);
}
