using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace AgentFabric.Spiffe.Jose;

/// <summary>The key families a JWT-SVID may be signed with.</summary>
internal enum JwsKeyFamily
{
    Rsa,
    EllipticCurve,
}

/// <summary>
/// One of the nine JWS algorithms JWT-SVID §2.1 allows (RFC 7518 §3.3-§3.5), with how to sign and verify with it.
/// Every other <c>alg</c> (none, HS*, EdDSA, ...) has no instance, so it cannot be used by accident.
/// </summary>
internal sealed class JwsAlgorithm
{
    public static readonly JwsAlgorithm RS256 = new("RS256", JwsKeyFamily.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, null, 0);
    public static readonly JwsAlgorithm RS384 = new("RS384", JwsKeyFamily.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, null, 0);
    public static readonly JwsAlgorithm RS512 = new("RS512", JwsKeyFamily.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1, null, 0);
    public static readonly JwsAlgorithm PS256 = new("PS256", JwsKeyFamily.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss, null, 0);
    public static readonly JwsAlgorithm PS384 = new("PS384", JwsKeyFamily.Rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pss, null, 0);
    public static readonly JwsAlgorithm PS512 = new("PS512", JwsKeyFamily.Rsa, HashAlgorithmName.SHA512, RSASignaturePadding.Pss, null, 0);
    public static readonly JwsAlgorithm ES256 = new("ES256", JwsKeyFamily.EllipticCurve, HashAlgorithmName.SHA256, null, JwkCurves.P256, 64);
    public static readonly JwsAlgorithm ES384 = new("ES384", JwsKeyFamily.EllipticCurve, HashAlgorithmName.SHA384, null, JwkCurves.P384, 96);
    public static readonly JwsAlgorithm ES512 = new("ES512", JwsKeyFamily.EllipticCurve, HashAlgorithmName.SHA512, null, JwkCurves.P521, 132);

    private static readonly JwsAlgorithm[] s_all = [RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512];

    private JwsAlgorithm(
        string name,
        JwsKeyFamily family,
        HashAlgorithmName hash,
        RSASignaturePadding? padding,
        string? curve,
        int ecdsaSignatureLength)
    {
        Name = name;
        Utf8Name = System.Text.Encoding.ASCII.GetBytes(name);
        Family = family;
        Hash = hash;
        Padding = padding;
        Curve = curve;
        EcdsaSignatureLength = ecdsaSignatureLength;
    }

    /// <summary>The <c>alg</c> value, e.g. <c>ES256</c>.</summary>
    public string Name { get; }

    public byte[] Utf8Name { get; }

    public JwsKeyFamily Family { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>PKCS#1 v1.5 for RS*, PSS (salt = hash length, RFC 7518 §3.5) for PS*; null for ES*.</summary>
    public RSASignaturePadding? Padding { get; }

    /// <summary>The JWK curve name the key must use (RFC 7518 §3.4: ES256 with P-256, ...); null for RSA.</summary>
    public string? Curve { get; }

    /// <summary>R || S, each the full field size (RFC 7518 §3.4); 0 for RSA.</summary>
    public int EcdsaSignatureLength { get; }

    /// <summary>RFC 7518 §3.3, §3.5: RSA keys for RS*/PS* are 2048 bits or larger.</summary>
    public const int MinimumRsaKeySize = 2048;

    public static IReadOnlyList<JwsAlgorithm> All => s_all;

    /// <summary>The allowed algorithm named by the UTF-8 <c>alg</c> value, if any.</summary>
    public static bool TryGet(ReadOnlySpan<byte> utf8Name, [NotNullWhen(true)] out JwsAlgorithm? algorithm)
    {
        foreach (var candidate in s_all)
        {
            if (utf8Name.SequenceEqual(candidate.Utf8Name))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = null;
        return false;
    }

    /// <summary>The allowed algorithm named <paramref name="name"/>, if any (case-sensitive, RFC 7515 §4.1.1).</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out JwsAlgorithm? algorithm)
    {
        foreach (var candidate in s_all)
        {
            if (string.Equals(name, candidate.Name, StringComparison.Ordinal))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = null;
        return false;
    }

    /// <summary>Verifies a signature with a key of the right family (the caller has checked the match).</summary>
    public bool Verify(AsymmetricAlgorithm key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (Family == JwsKeyFamily.EllipticCurve)
        {
            // RFC 7518 §3.4: a signature of any other length is invalid (no DER, no truncation).
            return signature.Length == EcdsaSignatureLength &&
                ((ECDsa)key).VerifyData(signingInput, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return ((RSA)key).VerifyData(signingInput, signature, Hash, Padding!);
    }

    /// <summary>Signs with a private key of the right family.</summary>
    public byte[] Sign(AsymmetricAlgorithm key, ReadOnlySpan<byte> signingInput) =>
        Family == JwsKeyFamily.EllipticCurve
            ? ((ECDsa)key).SignData(signingInput, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : ((RSA)key).SignData(signingInput, Hash, Padding!);

    public override string ToString() => Name;
}
