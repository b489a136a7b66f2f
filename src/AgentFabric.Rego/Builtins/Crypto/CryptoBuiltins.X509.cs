using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using AgentFabric.Rego.Builtins.Tokens;
using AgentFabric.Rego.GoCompat;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class CryptoBuiltins
{
    private static readonly string[] GoExtKeyUsageNames =
    [
        "KeyUsageAny", "KeyUsageServerAuth", "KeyUsageClientAuth", "KeyUsageCodeSigning", "KeyUsageEmailProtection",
        "KeyUsageIPSECEndSystem", "KeyUsageIPSECTunnel", "KeyUsageIPSECUser", "KeyUsageTimeStamping", "KeyUsageOCSPSigning",
        "KeyUsageMicrosoftServerGatedCrypto", "KeyUsageNetscapeServerGatedCrypto", "KeyUsageMicrosoftCommercialCodeSigning",
        "KeyUsageMicrosoftKernelCodeSigning",
    ];

    private static readonly string[] GoExtKeyUsageOids =
    [
        "2.5.29.37.0", "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.3", "1.3.6.1.5.5.7.3.4",
        "1.3.6.1.5.5.7.3.5", "1.3.6.1.5.5.7.3.6", "1.3.6.1.5.5.7.3.7", "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9",
        "1.3.6.1.4.1.311.10.3.3", "2.16.840.1.113730.4.1", "1.3.6.1.4.1.311.2.1.22", "1.3.6.1.4.1.311.61.1.1",
    ];

    private static void RegisterX509(BuiltinRegistry r)
    {
        var stringObject = RegoType.ObjectOf(RegoType.String, RegoType.Any);
        var certList = RegoType.ArrayOf(stringObject);
        r.Register("crypto.x509.parse_certificates", [RegoType.String], certList, static (_, a) =>
            ArrayValue.CreateRange(CertificatesDer(BuiltinArgs.String(a, 0)).Select(d => (Value)CertificateJson(d))));
        r.Register("crypto.x509.parse_and_verify_certificates", [RegoType.String], RegoType.Tuple(RegoType.Boolean, certList),
            static (ctx, a) => VerifyChain(ctx, BuiltinArgs.String(a, 0), null), BuiltinFlags.ReadsClock);
        r.Register("crypto.x509.parse_and_verify_certificates_with_options", [RegoType.String, stringObject], RegoType.Tuple(RegoType.Boolean, certList),
            static (ctx, a) => VerifyChain(ctx, BuiltinArgs.String(a, 0), BuiltinArgs.Object(a, 1)), BuiltinFlags.ReadsClock);
        r.Register("crypto.x509.parse_certificate_request", [RegoType.String], stringObject, static (_, a) => CertificateRequest(BuiltinArgs.String(a, 0)));
        r.Register("crypto.x509.parse_keypair", [RegoType.String, RegoType.String], stringObject, static (_, a) =>
            KeyPair(BuiltinArgs.String(a, 0), BuiltinArgs.String(a, 1)));
        r.Register("crypto.x509.parse_rsa_private_key", [RegoType.String], stringObject, static (_, a) =>
        {
            var text = PemOrBase64(BuiltinArgs.String(a, 0));
            var key = PrivateKeyJson.ReadAll(text).FirstOrDefault(k => k.Rsa is not null)
                ?? throw new RegoBuiltinException("failed to find an RSA private key");
            return key.ToJwk();
        });
        r.Register("crypto.parse_private_keys", [RegoType.String], RegoType.ArrayOf(stringObject), static (ctx, a) =>
        {
            var text = BuiltinArgs.String(a, 0);
            if (text.Length == 0)
            {
                return NullValue.Instance;
            }

            // Base64 input is decoded first; anything else is read as PEM text.
            if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal) && GoBase64.TryDecodeStd(text, out var decoded, out _))
            {
                text = Encoding.UTF8.GetString(decoded);
            }

            return ArrayValue.CreateRange(PrivateKeyJson.ReadAll(text).Select(k => k.ToGoJson()));
        });
    }

    /// <summary>PEM text as given, or the text of base64-encoded PEM or DER; bad base64 is an error.</summary>
    private static string PemOrBase64(string input)
    {
        if (input.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return input;
        }

        return GoBase64.TryDecodeStd(input, out var bytes, out var error)
            ? Encoding.Latin1.GetString(bytes)
            : throw new RegoBuiltinException(error);
    }

    /// <summary>The DER of each certificate in PEM text, base64 PEM, or base64 DER (one or more concatenated).</summary>
    private static List<byte[]> CertificatesDer(string input)
    {
        byte[] der;
        var text = PemOrBase64(input);
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var all = new List<byte>();
            while (text.Length > 0 && PemBlock.Decode(text, out var rest) is { } block)
            {
                if (block.Type != "CERTIFICATE")
                {
                    throw new RegoBuiltinException($"PEM block type is '{block.Type}', expected CERTIFICATE");
                }

                all.AddRange(block.Bytes);
                text = rest;
            }

            der = [.. all];
        }
        else
        {
            der = Encoding.Latin1.GetBytes(text);
        }

        var certs = new List<byte[]>();
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            while (reader.HasData)
            {
                certs.Add(reader.ReadEncodedValue().ToArray());
            }
        }
        catch (AsnContentException)
        {
            throw new RegoBuiltinException("x509: malformed certificate");
        }

        return certs;
    }

    private static ObjectValue CertificateJson(byte[] der)
    {
        try
        {
            return X509Json.Certificate(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            throw new RegoBuiltinException("x509: malformed certificate");
        }
    }

    private static ObjectValue CertificateRequest(string input)
    {
        var text = PemOrBase64(input);
        byte[] der;
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var block = PemBlock.Decode(text, out _) ?? throw new RegoBuiltinException("failed to decode the PEM-encoded certificate signing request");
            der = block.Type == "CERTIFICATE REQUEST"
                ? block.Bytes
                : throw new RegoBuiltinException("invalid PEM-encoded certificate signing request");
        }
        else
        {
            der = Encoding.Latin1.GetBytes(text);
        }

        try
        {
            return X509Json.CertificateRequest(der);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException or ArgumentException)
        {
            throw new RegoBuiltinException("asn1: structure error: " + e.Message);
        }
    }
}
