using System.Security.Cryptography;
using System.Text.Json;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Jose;

namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>
/// A private key that mints JWT-SVIDs: an ECDsa (P-256/P-384/P-521) or RSA key, the JWS algorithm it signs with
/// (JWT-SVID §2.1) and the key ID published with its public key in the trust domain's bundle (JWT-SVID §6.1). The
/// JOSE header is encoded once here.
/// </summary>
public sealed class JwtSigningKey
{
    /// <summary>A signing key for <paramref name="algorithm"/> (e.g. <c>ES256</c>, <c>PS384</c>).</summary>
    /// <exception cref="ArgumentException">The algorithm is not allowed by JWT-SVID §2.1, does not fit the key
    /// (RS*/PS* need RSA of 2048 bits or more, ES256/384/512 need P-256/384/521), or the key ID is empty.</exception>
    public JwtSigningKey(AsymmetricAlgorithm privateKey, string algorithm, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (keyId is { Length: 0 })
        {
            throw new ArgumentException("jwtsvid: the key ID is empty; pass null for a token without kid", nameof(keyId));
        }

        if (!JwsAlgorithm.TryGet(algorithm, out var jws))
        {
            throw new ArgumentException($"jwtsvid: unsupported token signature algorithm \"{algorithm}\"", nameof(algorithm));
        }

        bool fits = jws.Family == JwsKeyFamily.Rsa
            ? privateKey is RSA
            : privateKey is ECDsa ec && JwkCurves.NameOf(ec) == jws.Curve;
        if (!fits)
        {
            throw new ArgumentException($"jwtsvid: algorithm \"{algorithm}\" does not fit the {Describe(privateKey)} key", nameof(algorithm));
        }

        // RFC 7518 §3.3, §3.5
        if (privateKey is RSA && privateKey.KeySize < JwsAlgorithm.MinimumRsaKeySize)
        {
            throw new ArgumentException($"jwtsvid: RSA keys for \"{algorithm}\" need 2048 bits or more, not {privateKey.KeySize}", nameof(privateKey));
        }

        PrivateKey = privateKey;
        Jws = jws;
        KeyId = keyId;
        EncodedHeader = EncodeHeader(jws, keyId);
    }

    /// <summary>The private key.</summary>
    public AsymmetricAlgorithm PrivateKey { get; }

    /// <summary>The <c>alg</c> written into tokens.</summary>
    public string Algorithm => Jws.Name;

    /// <summary>The <c>kid</c> written into tokens, or null for tokens without one (JWT-SVID §2.2).</summary>
    public string? KeyId { get; }

    internal JwsAlgorithm Jws { get; }

    /// <summary>BASE64URL of <c>{"alg":..,"kid":..,"typ":"JWT"}</c> as ASCII bytes.</summary>
    internal byte[] EncodedHeader { get; }

    /// <summary>A signing key with the natural algorithm of the key: ES256/ES384/ES512 by curve, RS256 for RSA.</summary>
    /// <exception cref="ArgumentException">The key is neither ECDsa on a NIST curve nor RSA.</exception>
    public static JwtSigningKey Create(AsymmetricAlgorithm privateKey, string? keyId)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        string algorithm = privateKey switch
        {
            ECDsa ec => JwkCurves.NameOf(ec) switch
            {
                JwkCurves.P256 => "ES256",
                JwkCurves.P384 => "ES384",
                JwkCurves.P521 => "ES512",
                _ => throw new ArgumentException("jwtsvid: the EC key is not on P-256, P-384 or P-521", nameof(privateKey)),
            },
            RSA => "RS256",
            _ => throw new ArgumentException("jwtsvid: the key is neither ECDsa nor RSA", nameof(privateKey)),
        };
        return new JwtSigningKey(privateKey, algorithm, keyId);
    }

    /// <summary>The public half as a bundle authority.</summary>
    /// <exception cref="InvalidOperationException">The signing key has no key ID.</exception>
    public JwtAuthority ToJwtAuthority() =>
        KeyId is null
            ? throw new InvalidOperationException("jwtsvid: a signing key without key ID cannot be published in a bundle")
            : new JwtAuthority(KeyId, PrivateKey);

    private static byte[] EncodeHeader(JwsAlgorithm algorithm, string? keyId)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("alg"u8, algorithm.Name);
            if (keyId is not null)
            {
                writer.WriteString("kid"u8, keyId);
            }

            writer.WriteString("typ"u8, "JWT"u8);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.ASCII.GetBytes(Base64UrlText.Encode(stream.ToArray()));
    }

    private static string Describe(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ec => "EC " + (JwkCurves.NameOf(ec) ?? "(unsupported curve)"),
        RSA rsa => "RSA " + rsa.KeySize,
        _ => key.GetType().Name,
    };
}
