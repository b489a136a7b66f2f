using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace AgentFabric.Spiffe.Jose;

/// <summary>What reading the key material of one JWK gave.</summary>
internal enum JwkKeyStatus
{
    /// <summary>An RSA or NIST-curve EC public key.</summary>
    Ok,

    /// <summary>A key type (or EC curve) this SDK does not know: Bundle §4.2.1 says to ignore
    /// the whole JWK.</summary>
    Unknown,

    /// <summary>A known key type with missing or malformed parameters.</summary>
    Invalid,
}

/// <summary>
/// Reads and writes the public key parameters of a JWK (RFC 7517 §4, RFC 7518 §6.2-§6.3). Errors come back without an
/// area prefix; each caller adds its own.
/// </summary>
internal static class JsonWebKeyCodec
{
    public const string KeyTypeEc = "EC";
    public const string KeyTypeRsa = "RSA";

    // RFC 7518 §6.2.2 / §6.3.2: private key parameters. A bundle carries public keys only.
    private static readonly string[] s_privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth"];

    /// <summary>Reads the public key of a JWK whose <c>kty</c> is <paramref name="keyType"/>.</summary>
    public static JwkKeyStatus TryReadPublicKey(
        JsonElement jwk,
        string keyType,
        out AsymmetricAlgorithm? key,
        out string? error)
    {
        key = null;
        error = null;
        if (keyType is not (KeyTypeEc or KeyTypeRsa))
        {
            return JwkKeyStatus.Unknown;
        }

        foreach (var member in s_privateMembers)
        {
            if (jwk.TryGetProperty(member, out _))
            {
                error = $"contains private key parameter \"{member}\"";
                return JwkKeyStatus.Invalid;
            }
        }

        return keyType == KeyTypeEc ? TryReadEc(jwk, out key, out error) : TryReadRsa(jwk, out key, out error);
    }

    /// <summary>Writes <c>kty</c> and the public key parameters of an ECDsa (NIST curve) or RSA key.</summary>
    /// <exception cref="ArgumentException">The key is neither, or its curve is not P-256/P-384/P-521.</exception>
    public static void WritePublicKey(Utf8JsonWriter writer, AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case ECDsa ec:
                string curve = JwkCurves.NameOf(ec) ?? throw new ArgumentException("the EC key is not on P-256, P-384 or P-521", nameof(key));
                var ecParameters = ec.ExportParameters(false);
                writer.WriteString("kty", KeyTypeEc);
                writer.WriteString("crv", curve);
                writer.WriteString("x", Base64UrlText.Encode(ecParameters.Q.X!));
                writer.WriteString("y", Base64UrlText.Encode(ecParameters.Q.Y!));
                break;
            case RSA rsa:
                var rsaParameters = rsa.ExportParameters(false);
                writer.WriteString("kty", KeyTypeRsa);
                writer.WriteString("n", Base64UrlText.Encode(rsaParameters.Modulus!));
                writer.WriteString("e", Base64UrlText.Encode(rsaParameters.Exponent!));
                break;
            default:
                throw new ArgumentException("the key is neither ECDsa nor RSA", nameof(key));
        }
    }

    /// <summary>The public key of an X.509 authority as a bundle writes it (RSA, or EC on a NIST curve); null and the
    /// reason otherwise. The BCL decodes the key lazily and throws <see cref="CryptographicException"/> (or, for a
    /// curve the platform does not know, <see cref="PlatformNotSupportedException"/>) on a corrupt one: caught here.</summary>
    public static AsymmetricAlgorithm? TryGetCertificateKey(
        X509Certificate2 certificate,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? reason)
    {
        AsymmetricAlgorithm? key;
        try
        {
            key = (AsymmetricAlgorithm?)certificate.GetECDsaPublicKey() ?? certificate.GetRSAPublicKey();
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or System.Formats.Asn1.AsnContentException)
        {
            reason = "public key cannot be decoded";
            return null;
        }

        if (key is null)
        {
            reason = "public key is neither RSA nor EC";
            return null;
        }

        if (key is ECDsa ec && JwkCurves.NameOf(ec) is null)
        {
            key.Dispose();
            reason = "EC public key is not on P-256, P-384 or P-521";
            return null;
        }

        reason = null;
        return key;
    }

    /// <summary>The public part of an ECDsa or RSA key as a fresh object, so a stored authority never holds a private
    /// key and never shares a mutable object with the caller.</summary>
    /// <exception cref="ArgumentException">The key is neither ECDsa (NIST curve) nor RSA.</exception>
    public static AsymmetricAlgorithm CopyPublicKey(AsymmetricAlgorithm key)
    {
        switch (key)
        {
            case ECDsa ec:
                if (JwkCurves.NameOf(ec) is null)
                {
                    throw new ArgumentException("the EC key is not on P-256, P-384 or P-521", nameof(key));
                }

                return ECDsa.Create(ec.ExportParameters(false));
            case RSA rsa:
                return RSA.Create(rsa.ExportParameters(false));
            default:
                throw new ArgumentException("the key is neither ECDsa nor RSA", nameof(key));
        }
    }

    // RFC 7518 §6.2.1
    private static JwkKeyStatus TryReadEc(JsonElement jwk, out AsymmetricAlgorithm? key, out string? error)
    {
        key = null;
        if (!TryGetString(jwk, "crv", out string? curveName, out error))
        {
            return JwkKeyStatus.Invalid;
        }

        // An unknown curve is, for this SDK, an unknown key type: ignore the JWK rather than fail the bundle.
        if (!JwkCurves.TryGetCurve(curveName, out var curve, out int length))
        {
            return JwkKeyStatus.Unknown;
        }

        // RFC 7518 §6.2.1.2-§6.2.1.3: each coordinate is exactly the field size.
        if (!TryGetBytes(jwk, "x", length, out var x, out error) || !TryGetBytes(jwk, "y", length, out var y, out error))
        {
            return JwkKeyStatus.Invalid;
        }

        try
        {
            key = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
            return JwkKeyStatus.Ok;
        }
        catch (CryptographicException)
        {
            error = $"EC point is not on curve {curveName}";
            return JwkKeyStatus.Invalid;
        }
    }

    // RFC 7518 §6.3.1
    private static JwkKeyStatus TryReadRsa(JsonElement jwk, out AsymmetricAlgorithm? key, out string? error)
    {
        key = null;
        if (!TryGetBytes(jwk, "n", 0, out var modulus, out error) || !TryGetBytes(jwk, "e", 0, out var exponent, out error))
        {
            return JwkKeyStatus.Invalid;
        }

        // RFC 7518 §6.3.1.1: base64urlUInt has no leading zero octets.
        if (modulus[0] == 0 || exponent[0] == 0)
        {
            error = $"RSA parameter \"{(modulus[0] == 0 ? "n" : "e")}\" has a leading zero octet";
            return JwkKeyStatus.Invalid;
        }

        try
        {
            key = RSA.Create(new RSAParameters { Modulus = modulus, Exponent = exponent });
            return JwkKeyStatus.Ok;
        }
        catch (CryptographicException)
        {
            error = "RSA public key is invalid";
            return JwkKeyStatus.Invalid;
        }
    }

    private static bool TryGetString(JsonElement jwk, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!jwk.TryGetProperty(name, out var element))
        {
            error = $"missing \"{name}\"";
            return false;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"\"{name}\" is not a string";
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private static bool TryGetBytes(JsonElement jwk, string name, int exactLength, out byte[] bytes, out string? error)
    {
        bytes = [];
        if (!TryGetString(jwk, name, out string? text, out error))
        {
            return false;
        }

        var decoded = Base64UrlText.TryDecode(text);
        if (decoded is null || decoded.Length == 0)
        {
            error = $"\"{name}\" is not base64url";
            return false;
        }

        if (exactLength != 0 && decoded.Length != exactLength)
        {
            error = $"\"{name}\" is {decoded.Length} bytes long, expected {exactLength}";
            return false;
        }

        bytes = decoded;
        return true;
    }
}
