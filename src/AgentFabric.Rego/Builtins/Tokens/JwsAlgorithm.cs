using System.Numerics;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>Outcome of checking a JWS signature with one key.</summary>
internal enum JwsCheck
{
    Verified,
    NotVerified,

    /// <summary>The key cannot be used with the algorithm at all (e.g. a secret for RS256).</summary>
    WrongKeyType,
}

/// <summary>The JWS algorithms of RFC 7518 §3 (plus EdDSA, RFC 8037 §3.1) that OPA supports.</summary>
internal sealed class JwsAlgorithm
{
    private static readonly Dictionary<string, JwsAlgorithm> ByName = new(StringComparer.Ordinal)
    {
        ["HS256"] = new("HS256", 'H', HashAlgorithmName.SHA256),
        ["HS384"] = new("HS384", 'H', HashAlgorithmName.SHA384),
        ["HS512"] = new("HS512", 'H', HashAlgorithmName.SHA512),
        ["RS256"] = new("RS256", 'R', HashAlgorithmName.SHA256),
        ["RS384"] = new("RS384", 'R', HashAlgorithmName.SHA384),
        ["RS512"] = new("RS512", 'R', HashAlgorithmName.SHA512),
        ["PS256"] = new("PS256", 'P', HashAlgorithmName.SHA256),
        ["PS384"] = new("PS384", 'P', HashAlgorithmName.SHA384),
        ["PS512"] = new("PS512", 'P', HashAlgorithmName.SHA512),
        ["ES256"] = new("ES256", 'E', HashAlgorithmName.SHA256),
        ["ES384"] = new("ES384", 'E', HashAlgorithmName.SHA384),
        ["ES512"] = new("ES512", 'E', HashAlgorithmName.SHA512),
        ["EdDSA"] = new("EdDSA", 'D', HashAlgorithmName.SHA512),
    };

    private readonly char _family;
    private readonly HashAlgorithmName _hash;

    private JwsAlgorithm(string name, char family, HashAlgorithmName hash)
    {
        Name = name;
        _family = family;
        _hash = hash;
    }

    public string Name { get; }

    public static JwsAlgorithm? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Checks <paramref name="signature"/> over <paramref name="input"/> (the JWS signing input).</summary>
    public JwsCheck Verify(JwtKey key, byte[] input, byte[] signature)
    {
        switch (_family)
        {
            case 'H':
                if (key.Secret is null)
                {
                    return JwsCheck.WrongKeyType;
                }

                return CryptographicOperations.FixedTimeEquals(Hmac(key.Secret, input), signature) ? JwsCheck.Verified : JwsCheck.NotVerified;
            case 'R' or 'P':
                if (key.Rsa is null)
                {
                    return JwsCheck.WrongKeyType;
                }

                var padding = _family == 'R' ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss;
                try
                {
                    // RFC 7518 §3.5 fixes no salt length for PS*, so a salt other than the hash length is accepted too.
                    return key.Rsa.VerifyData(input, signature, _hash, padding) ||
                        (_family == 'P' && RsaPssVerifier.Verify(key.Rsa, input, signature, _hash)) ? JwsCheck.Verified : JwsCheck.NotVerified;
                }
                catch (CryptographicException)
                {
                    return JwsCheck.NotVerified;
                }

            case 'E':
                return key.Ec is null ? JwsCheck.WrongKeyType : VerifyEc(key.Ec, input, signature);
            default:
                if (key.Ed25519Public is not { Length: 32 } pub)
                {
                    return JwsCheck.WrongKeyType;
                }

                var ed = SignatureAlgorithm.Ed25519;
                return PublicKey.TryImport(ed, pub, KeyBlobFormat.RawPublicKey, out var publicKey) && publicKey is not null &&
                    ed.Verify(publicKey, input, signature) ? JwsCheck.Verified : JwsCheck.NotVerified;
        }
    }

    // RFC 7518 §3.4: the signature is R || S. Like OPA, the halves are split at the middle whatever the key size and
    // then re-encoded at the curve's size for the verifier.
    private JwsCheck VerifyEc(ECDsa ec, byte[] input, byte[] signature)
    {
        var size = (ec.KeySize + 7) / 8;
        var half = signature.Length / 2;
        var r = new BigInteger(signature.AsSpan(0, half), isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature.AsSpan(half), isUnsigned: true, isBigEndian: true);
        if (r.GetByteCount(isUnsigned: true) > size || s.GetByteCount(isUnsigned: true) > size)
        {
            return JwsCheck.NotVerified;
        }

        var fixedSig = new byte[2 * size];
        r.TryWriteBytes(fixedSig.AsSpan(size - r.GetByteCount(isUnsigned: true), r.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        s.TryWriteBytes(fixedSig.AsSpan(2 * size - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return ec.VerifyData(input, fixedSig, _hash) ? JwsCheck.Verified : JwsCheck.NotVerified;
    }

    /// <summary>Signs the JWS signing input; null when the key cannot sign with this algorithm.</summary>
    public byte[]? Sign(JwtKey key, byte[] input)
    {
        switch (_family)
        {
            case 'H':
                return key.Secret is null ? null : Hmac(key.Secret, input);
            case 'R' or 'P':
                return key.Rsa?.SignData(input, _hash, _family == 'R' ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
            case 'E':
                return key.Ec?.SignData(input, _hash);
            default:
                if (key.Ed25519Seed is not { Length: 32 } seed)
                {
                    return null;
                }

                var ed = SignatureAlgorithm.Ed25519;
                using (var k = Key.Import(ed, seed, KeyBlobFormat.RawPrivateKey))
                {
                    return ed.Sign(k, input);
                }
        }
    }

    private byte[] Hmac(byte[] secret, byte[] input) => _hash.Name switch
    {
        "SHA384" => HMACSHA384.HashData(secret, input),
        "SHA512" => HMACSHA512.HashData(secret, input),
        _ => HMACSHA256.HashData(secret, input),
    };
}
