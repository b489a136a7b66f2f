using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using AgentFabric.Rego.Builtins.Tokens;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

/// <summary>A private key read from PEM (PKCS #1 RFC 8017 §A.1.2, SEC 1 RFC 5915 §3, PKCS #8 RFC 5208 §5), shown
/// either as Go marshals its key structs or as a JWK (RFC 7518 §6).</summary>
internal sealed class PrivateKeyJson
{
    private PrivateKeyJson(RSAParameters? rsa, ECParameters? ec, byte[]? ed25519Seed, byte[] spki)
    {
        Rsa = rsa;
        Ec = ec;
        Ed25519Seed = ed25519Seed;
        SubjectPublicKeyInfo = spki;
    }

    public RSAParameters? Rsa { get; }

    public ECParameters? Ec { get; }

    public byte[]? Ed25519Seed { get; }

    /// <summary>The matching public key, to check a key pair.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>Every private key block of the text, in order; other blocks are skipped. A key block that does not
    /// parse is an error.</summary>
    public static List<PrivateKeyJson> ReadAll(string pem)
    {
        var keys = new List<PrivateKeyJson>();
        var rest = pem;
        while (PemBlock.Decode(rest, out var after) is { } block)
        {
            if (Parse(block) is { } key)
            {
                keys.Add(key);
            }

            rest = after;
        }

        return keys;
    }

    public static PrivateKeyJson? Parse(PemBlock block)
    {
        try
        {
            switch (block.Type)
            {
                case "RSA PRIVATE KEY":
                {
                    using var rsa = RSA.Create();
                    rsa.ImportRSAPrivateKey(block.Bytes, out _);
                    return new PrivateKeyJson(rsa.ExportParameters(true), null, null, rsa.ExportSubjectPublicKeyInfo());
                }

                case "EC PRIVATE KEY":
                {
                    using var ec = ECDsa.Create();
                    ec.ImportECPrivateKey(block.Bytes, out _);
                    return new PrivateKeyJson(null, ec.ExportParameters(true), null, ec.ExportSubjectPublicKeyInfo());
                }

                case "PRIVATE KEY":
                    return Pkcs8(block.Bytes);
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            throw new RegoBuiltinException($"failed to parse {block.Type}: {e.Message}");
        }
    }

    private static PrivateKeyJson Pkcs8(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        var oid = info.ReadSequence().ReadObjectIdentifier();
        switch (oid)
        {
            case "1.2.840.113549.1.1.1":
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(der, out _);
                return new PrivateKeyJson(rsa.ExportParameters(true), null, null, rsa.ExportSubjectPublicKeyInfo());
            }

            case "1.2.840.10045.2.1":
            {
                using var ec = ECDsa.Create();
                ec.ImportPkcs8PrivateKey(der, out _);
                return new PrivateKeyJson(null, ec.ExportParameters(true), null, ec.ExportSubjectPublicKeyInfo());
            }

            case "1.3.101.112":
            {
                // RFC 8410 §7: the private key is an OCTET STRING holding the 32-byte seed.
                var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                byte[] pub;
                using (var key = NSec.Cryptography.Key.Import(NSec.Cryptography.SignatureAlgorithm.Ed25519, seed, NSec.Cryptography.KeyBlobFormat.RawPrivateKey))
                {
                    pub = key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
                }

                var w = new AsnWriter(AsnEncodingRules.DER);
                using (w.PushSequence())
                {
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier("1.3.101.112");
                    }

                    w.WriteBitString(pub);
                }

                return new PrivateKeyJson(null, null, seed, w.Encode());
            }

            default:
                throw new CryptographicException("unsupported private key algorithm " + oid);
        }
    }

    private static NumberValue Big(byte[]? b) => NumberValue.Create(new BigInteger(b ?? [], isUnsigned: true, isBigEndian: true));

    /// <summary>The key as Go's <c>rsa.PrivateKey</c>, <c>ecdsa.PrivateKey</c> or <c>ed25519.PrivateKey</c>.</summary>
    public Value ToGoJson()
    {
        if (Rsa is { } r)
        {
            return ObjectValue.Create(
                ("N", Big(r.Modulus)),
                ("E", Big(r.Exponent)),
                ("D", Big(r.D)),
                ("Primes", ArrayValue.Create(Big(r.P), Big(r.Q))),
                ("Precomputed", ObjectValue.Create(("Dp", Big(r.DP)), ("Dq", Big(r.DQ)), ("Qinv", Big(r.InverseQ)), ("CRTValues", ArrayValue.Empty))));
        }

        if (Ec is { } e)
        {
            var name = CurveName(e.Curve);
            return ObjectValue.Create(
                ("Curve", ObjectValue.Create(("Name", StringValue.Create(name)), ("BitSize", NumberValue.Create(e.Q.X!.Length == 66 ? 521 : e.Q.X.Length * 8)))),
                ("X", Big(e.Q.X)),
                ("Y", Big(e.Q.Y)),
                ("D", Big(e.D)));
        }

        var pub = new AsnReader(SubjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        pub.ReadSequence();
        return X509Json.Bytes([.. Ed25519Seed!, .. pub.ReadBitString(out _)]);
    }

    /// <summary>The key as a JWK with its private members.</summary>
    public Value ToJwk()
    {
        static Value B(byte[]? b) => StringValue.Create(GoBase64.EncodeUrl(b ?? []));
        if (Rsa is { } r)
        {
            return ObjectValue.Create(("kty", StringValue.Create("RSA")), ("n", B(r.Modulus)), ("e", B(r.Exponent)), ("d", B(r.D)),
                ("p", B(r.P)), ("q", B(r.Q)), ("dp", B(r.DP)), ("dq", B(r.DQ)), ("qi", B(r.InverseQ)));
        }

        if (Ec is { } e)
        {
            return ObjectValue.Create(("kty", StringValue.Create("EC")), ("crv", StringValue.Create(CurveName(e.Curve))),
                ("x", B(e.Q.X)), ("y", B(e.Q.Y)), ("d", B(e.D)));
        }

        var pub = new AsnReader(SubjectPublicKeyInfo, AsnEncodingRules.DER).ReadSequence();
        pub.ReadSequence();
        return ObjectValue.Create(("kty", StringValue.Create("OKP")), ("crv", StringValue.Create("Ed25519")),
            ("x", B(pub.ReadBitString(out _))), ("d", B(Ed25519Seed)));
    }

    private static string CurveName(ECCurve curve) => curve.Oid?.Value switch
    {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        _ => curve.Oid?.FriendlyName ?? "",
    };
}
