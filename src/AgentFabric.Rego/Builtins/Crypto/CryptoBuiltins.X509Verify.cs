using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Rego.Builtins.Tokens;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Builtins.Crypto;

internal static partial class CryptoBuiltins
{
    private static readonly Value X509Invalid = ArrayValue.Create(BooleanValue.False, ArrayValue.Empty);

    // The first certificate is the trusted root, the last the leaf, those between intermediates; the result is the
    // verified chain from leaf to root. Any failure (parsing included) gives [false, []].
    private static Value VerifyChain(BuiltinContext context, string input, ObjectValue? options)
    {
        var verifyAt = context.Now;
        string? dnsName = null;
        var usages = new List<string> { GoExtKeyUsageOids[1] };
        if (options is not null)
        {
            foreach (var (k, v) in options)
            {
                switch (k is StringValue ks ? ks.Value : k.ToString())
                {
                    case "DNSName":
                        dnsName = v is StringValue s ? s.Value : throw BuiltinArgs.OperandError(1, "DNSName must be a string");
                        break;
                    case "CurrentTime":
                        verifyAt = v is NumberValue n && n.TryGetInt64(out var ns)
                            ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100)
                            : throw BuiltinArgs.OperandError(1, "CurrentTime must be an integer number of nanoseconds");
                        break;
                    case "KeyUsages":
                        usages = KeyUsageOids(v);
                        break;
                    case "MaxConstraintComparisons":
                        break;
                    default:
                        throw BuiltinArgs.OperandError(1, "invalid key option: " + k);
                }
            }
        }

        List<byte[]> ders;
        try
        {
            ders = CertificatesDer(input);
        }
        catch (RegoBuiltinException)
        {
            return X509Invalid;
        }

        if (ders.Count < 2)
        {
            return X509Invalid;
        }

        var certs = new List<X509Certificate2>();
        try
        {
            foreach (var der in ders)
            {
                certs.Add(X509CertificateLoader.LoadCertificate(der));
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(certs[0]);
            for (var i = 1; i < certs.Count - 1; i++)
            {
                chain.ChainPolicy.ExtraStore.Add(certs[i]);
            }

            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = verifyAt.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            foreach (var oid in usages)
            {
                chain.ChainPolicy.ApplicationPolicy.Add(new Oid(oid));
            }

            var leaf = certs[^1];
            if (!chain.Build(leaf) || (dnsName is not null && !leaf.MatchesHostname(dnsName)))
            {
                return X509Invalid;
            }

            var verified = chain.ChainElements.Select(e => (Value)X509Json.Certificate(e.Certificate.RawData)).ToList();
            return ArrayValue.Create(BooleanValue.True, ArrayValue.CreateRange(verified));
        }
        catch (CryptographicException)
        {
            return X509Invalid;
        }
        finally
        {
            foreach (var c in certs)
            {
                c.Dispose();
            }
        }
    }

    // Go's x509.ExtKeyUsage names; "any" lifts the extended key usage check.
    private static List<string> KeyUsageOids(Value v)
    {
        if (v is not ArrayValue list)
        {
            throw BuiltinArgs.OperandError(1, "KeyUsages must be an array of strings");
        }

        var oids = new List<string>();
        foreach (var item in list)
        {
            var i = item is StringValue s ? Array.IndexOf(GoExtKeyUsageNames, s.Value) : -1;
            if (i < 0)
            {
                throw BuiltinArgs.OperandError(1, "invalid entry for KeyUsages: " + item);
            }

            if (i == 0)
            {
                return [];
            }

            oids.Add(GoExtKeyUsageOids[i]);
        }

        return oids;
    }

    // Go's tls.X509KeyPair: the certificate chain's PEM blocks and the first private key, which must match the leaf.
    private static Value KeyPair(string certInput, string keyInput)
    {
        var certText = PemOrBase64(certInput);
        if (!certText.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            certText = "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(Encoding.Latin1.GetBytes(certText)) + "\n-----END CERTIFICATE-----\n";
        }

        var keyText = PemOrBase64(keyInput);
        var chain = new List<byte[]>();
        var rest = certText;
        while (PemBlock.Decode(rest, out var after) is { } block)
        {
            if (block.Type == "CERTIFICATE")
            {
                chain.Add(block.Bytes);
            }

            rest = after;
        }

        if (chain.Count == 0)
        {
            throw new RegoBuiltinException("tls: failed to find any PEM data in certificate input");
        }

        PrivateKeyJson? key = null;
        rest = keyText;
        while (key is null && PemBlock.Decode(rest, out var after) is { } block)
        {
            if (block.Type == "PRIVATE KEY" || block.Type.EndsWith(" PRIVATE KEY", StringComparison.Ordinal))
            {
                key = PrivateKeyJson.Parse(block) ?? throw new RegoBuiltinException("tls: failed to parse private key");
            }

            rest = after;
        }

        if (key is null)
        {
            throw new RegoBuiltinException("tls: failed to find any PEM data in key input");
        }

        var leaf = CertificateJson(chain[0]);
        var leafSpki = leaf.Get("RawSubjectPublicKeyInfo") is StringValue spki ? Convert.FromBase64String(spki.Value) : [];
        if (!SamePublicKey(leafSpki, key.SubjectPublicKeyInfo))
        {
            throw new RegoBuiltinException("tls: private key does not match public key");
        }

        return ObjectValue.Create(
            ("Certificate", ArrayValue.CreateRange(chain.Select(c => X509Json.Bytes(c)))),
            ("PrivateKey", key.ToGoJson()),
            ("SupportedSignatureAlgorithms", NullValue.Instance),
            ("OCSPStaple", NullValue.Instance),
            ("SignedCertificateTimestamps", NullValue.Instance),
            ("Leaf", leaf));
    }

    private static bool SamePublicKey(byte[] certSpki, byte[] keySpki) =>
        X509Json.PublicKey(certSpki).Equals(X509Json.PublicKey(keySpki));
}
