using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentFabric.Rego.GoCompat;

namespace AgentFabric.Rego.Builtins.Tokens;

/// <summary>A key usable for JWS: an RSA or EC key (public or private), an Ed25519 key (raw 32-byte public key and
/// optional seed) or an HMAC secret. <see cref="Alg"/> and <see cref="Kid"/> come from a JWK.</summary>
internal sealed class JwtKey
{
    public string Alg { get; init; } = "";

    public string Kid { get; init; } = "";

    public RSA? Rsa { get; init; }

    public ECDsa? Ec { get; init; }

    public byte[]? Ed25519Public { get; init; }

    public byte[]? Ed25519Seed { get; init; }

    public byte[]? Secret { get; init; }

    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>Keys from a PEM certificate or public key, or from a JWK or JWK set, with OPA's error texts.</summary>
    public static List<JwtKey> FromCertificateOrJwk(string text)
    {
        if (PemBlock.Decode(text, out var rest) is { } block)
        {
            if (rest.Length > 0)
            {
                throw new RegoBuiltinException("extra data after a PEM certificate block");
            }

            if (block.Type == "CERTIFICATE")
            {
                try
                {
                    return [FromCertificate(block.Bytes)];
                }
                catch (CryptographicException e)
                {
                    throw new RegoBuiltinException("failed to parse a PEM certificate: " + e.Message);
                }
            }

            if (block.Type == "PUBLIC KEY")
            {
                try
                {
                    return [FromSubjectPublicKeyInfo(block.Bytes)];
                }
                catch (Exception e) when (e is CryptographicException or AsnContentException)
                {
                    throw new RegoBuiltinException("failed to parse a PEM public key: " + e.Message);
                }
            }

            throw new RegoBuiltinException("failed to extract a Key from the PEM certificate");
        }

        try
        {
            return FromJwkSet(text);
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptographicException or InvalidOperationException or KeyNotFoundException)
        {
            throw new RegoBuiltinException("failed to parse a JWK key (set): " + e.Message);
        }
    }

    public static JwtKey FromCertificate(byte[] der)
    {
        using var cert = X509CertificateLoader.LoadCertificate(der);
        return FromSubjectPublicKeyInfo(cert.PublicKey.ExportSubjectPublicKeyInfo());
    }

    // RFC 5280 §4.1.2.7 SubjectPublicKeyInfo; RFC 8410 §4 for Ed25519.
    public static JwtKey FromSubjectPublicKeyInfo(byte[] spki)
    {
        var reader = new AsnReader(spki, AsnEncodingRules.DER);
        var seq = reader.ReadSequence();
        var alg = seq.ReadSequence();
        var oid = alg.ReadObjectIdentifier();
        switch (oid)
        {
            case "1.2.840.113549.1.1.1":
            {
                var rsa = RSA.Create();
                rsa.ImportSubjectPublicKeyInfo(spki, out _);
                return new JwtKey { Rsa = rsa };
            }

            case "1.2.840.10045.2.1":
            {
                var ec = ECDsa.Create();
                ec.ImportSubjectPublicKeyInfo(spki, out _);
                return new JwtKey { Ec = ec };
            }

            case Ed25519Oid:
                return new JwtKey { Ed25519Public = seq.ReadBitString(out _) };
            default:
                throw new CryptographicException("unsupported public key algorithm " + oid);
        }
    }

    /// <summary>Keys of a JWK (RFC 7517 §4) or a JWK set (§5).</summary>
    public static List<JwtKey> FromJwkSet(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a JWK must be a JSON object");
        }

        if (root.TryGetProperty("keys", out var keys))
        {
            if (keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("\"keys\" must be an array");
            }

            return keys.EnumerateArray().Select(FromJwk).ToList();
        }

        return [FromJwk(root)];
    }

    // RFC 7518 §6: key parameters per key type.
    public static JwtKey FromJwk(JsonElement jwk)
    {
        var kty = Str(jwk, "kty") ?? throw new FormatException("required field kty is missing");
        var alg = Str(jwk, "alg") ?? "";
        var kid = Str(jwk, "kid") ?? "";
        switch (kty)
        {
            case "RSA":
            {
                var p = new RSAParameters { Modulus = Bytes(jwk, "n", true), Exponent = Bytes(jwk, "e", true) };
                if (Bytes(jwk, "d", false) is { } d)
                {
                    p.D = d;
                    p.P = Bytes(jwk, "p", true);
                    p.Q = Bytes(jwk, "q", true);
                    p.DP = Bytes(jwk, "dp", true);
                    p.DQ = Bytes(jwk, "dq", true);
                    p.InverseQ = Bytes(jwk, "qi", true);
                    var half = (p.Modulus!.Length + 1) / 2;
                    p.D = Pad(p.D, p.Modulus.Length);
                    p.P = Pad(p.P!, half);
                    p.Q = Pad(p.Q!, half);
                    p.DP = Pad(p.DP!, half);
                    p.DQ = Pad(p.DQ!, half);
                    p.InverseQ = Pad(p.InverseQ!, half);
                }

                return new JwtKey { Alg = alg, Kid = kid, Rsa = RSA.Create(p) };
            }

            case "EC":
            {
                var curve = Str(jwk, "crv") switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    var other => throw new FormatException($"unsupported curve {other}"),
                };
                var size = Str(jwk, "crv") switch { "P-256" => 32, "P-384" => 48, _ => 66 };
                var p = new ECParameters
                {
                    Curve = curve,
                    Q = new ECPoint { X = Pad(Bytes(jwk, "x", true)!, size), Y = Pad(Bytes(jwk, "y", true)!, size) },
                };
                if (Bytes(jwk, "d", false) is { } d)
                {
                    p.D = Pad(d, size);
                }

                return new JwtKey { Alg = alg, Kid = kid, Ec = ECDsa.Create(p) };
            }

            case "OKP":
                if (Str(jwk, "crv") != "Ed25519")
                {
                    throw new FormatException($"unsupported curve {Str(jwk, "crv")}");
                }

                return new JwtKey { Alg = alg, Kid = kid, Ed25519Public = Bytes(jwk, "x", true), Ed25519Seed = Bytes(jwk, "d", false) };
            case "oct":
                return new JwtKey { Alg = alg, Kid = kid, Secret = Bytes(jwk, "k", true) };
            default:
                throw new FormatException($"invalid key type from JSON ({kty})");
        }
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? Bytes(JsonElement o, string name, bool required)
    {
        var s = Str(o, name);
        if (s is null)
        {
            return required ? throw new FormatException($"required field {name} is missing") : null;
        }

        return GoBase64.TryDecodeUrl(s, out var bytes, out var error) ? bytes : throw new FormatException(error);
    }

    private static byte[] Pad(byte[] b, int size)
    {
        if (b.Length >= size)
        {
            return b;
        }

        var r = new byte[size];
        b.CopyTo(r, size - b.Length);
        return r;
    }
}
