using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Crypto;

public class CryptoBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    private static readonly Lazy<TestPki> Pki = new(() => new TestPki());

    private static Value Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args)!;

    private static RegoBuiltinException Fails(string name, params Value[] args) =>
        Assert.Throws<RegoBuiltinException>(() => Registry.Invoke(name, new BuiltinContext(), args));

    [Theory]
    [InlineData("crypto.md5", "", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("crypto.sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d")]
    [InlineData("crypto.sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void Digests_AreLowercaseHex(string name, string input, string hex) =>
        Assert.Equal(StringValue.Create(hex), Call(name, input));

    // RFC 2202 §2/§3 and RFC 4231 §4.3 test case 2.
    [Theory]
    [InlineData("crypto.hmac.md5", "750c783e6ab0b503eaa86e310a5db738")]
    [InlineData("crypto.hmac.sha1", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")]
    [InlineData("crypto.hmac.sha256", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData("crypto.hmac.sha512", "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737")]
    public void Hmac_MatchesRfcVectors(string name, string hex) =>
        Assert.Equal(StringValue.Create(hex), Call(name, "what do ya want for nothing?", "Jefe"));

    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abd", false)]
    [InlineData("abc", "ab", false)]
    public void HmacEqual_ComparesWholeStrings(string a, string b, bool equal) =>
        Assert.Equal(BooleanValue.Create(equal), Call("crypto.hmac.equal", a, b));

    [Fact]
    public void Digest_RejectsNonStrings() =>
        Assert.Equal("operand 1 must be string but got number", Fails("crypto.sha256", 1).Message);

    [Fact]
    public void ParseCertificates_ExposesGoCertificateFields()
    {
        var pki = Pki.Value;
        var certs = Assert.IsType<ArrayValue>(Call("crypto.x509.parse_certificates", pki.LeafPem + pki.IntermediatePem));
        Assert.Equal(2, certs.Count);
        var leaf = Assert.IsType<ObjectValue>(certs[0]);
        Assert.Equal(StringValue.Create("leaf.example"), ((ObjectValue)leaf.Get("Subject")!).Get("CommonName"));
        Assert.Equal(Value.ParseJson("[\"US\"]"), ((ObjectValue)leaf.Get("Subject")!).Get("Country"));
        Assert.Equal(StringValue.Create("Test Intermediate"), ((ObjectValue)leaf.Get("Issuer")!).Get("CommonName"));
        Assert.Equal(Value.ParseJson("[\"leaf.example\",\"alt.example\"]"), leaf.Get("DNSNames"));
        Assert.Equal(Value.ParseJson("[\"spiffe://example.org/agent\"]"), leaf.Get("URIStrings"));
        Assert.Equal(Value.ParseJson("[\"ops@example.org\"]"), leaf.Get("EmailAddresses"));
        Assert.Equal(Value.ParseJson("[\"127.0.0.1\"]"), leaf.Get("IPAddresses"));
        Assert.Equal(NumberValue.Create(3), leaf.Get("Version"));
        Assert.Equal(NumberValue.Create(4660), leaf.Get("SerialNumber"));
        Assert.Equal(BooleanValue.False, leaf.Get("IsCA"));
        Assert.Equal(NumberValue.Create(1 | 4), leaf.Get("KeyUsage"));
        Assert.Equal(Value.ParseJson("[1]"), leaf.Get("ExtKeyUsage"));
        Assert.Equal(NumberValue.Create(10), leaf.Get("SignatureAlgorithm"));
        Assert.Equal(NumberValue.Create(1), leaf.Get("PublicKeyAlgorithm"));
        Assert.Equal(StringValue.Create("2030-01-02T03:04:05Z"), leaf.Get("NotAfter"));
        Assert.Equal(StringValue.Create(Convert.ToBase64String(pki.Leaf.RawData)), leaf.Get("Raw"));
        var intermediate = Assert.IsType<ObjectValue>(certs[1]);
        Assert.Equal(BooleanValue.True, intermediate.Get("IsCA"));
        Assert.Equal(NumberValue.Create(0), intermediate.Get("MaxPathLen"));
        Assert.Equal(BooleanValue.True, intermediate.Get("MaxPathLenZero"));
        Assert.Equal(NullValue.Instance, intermediate.Get("DNSNames"));
        Assert.Equal(NullValue.Instance, intermediate.Get("URIStrings"));
    }

    [Fact]
    public void ParseCertificates_ReadsNameConstraints()
    {
        // RFC 5280 §4.2.1.10: permitted dNSName and iPAddress subtrees, an excluded rfc822Name subtree.
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0, true)))
            {
                using (w.PushSequence())
                {
                    w.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, "example.org", new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 2));
                }

                using (w.PushSequence())
                {
                    w.WriteOctetString([10, 0, 0, 0, 255, 0, 0, 0], new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 7));
                }
            }

            using (w.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1, true)))
            {
                using (w.PushSequence())
                {
                    w.WriteCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, "bad.example.org", new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1));
                }
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=Constrained CA", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509Extension(new Oid("2.5.29.30"), w.Encode(), true));
        using var cert = req.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(80));
        var parsed = (ObjectValue)((ArrayValue)Call("crypto.x509.parse_certificates", cert.ExportCertificatePem()))[0];
        Assert.Equal(BooleanValue.True, parsed.Get("PermittedDNSDomainsCritical"));
        Assert.Equal(Value.ParseJson("[\"example.org\"]"), parsed.Get("PermittedDNSDomains"));
        Assert.Equal(Value.ParseJson("[{\"IP\":\"10.0.0.0\",\"Mask\":\"/wAAAA==\"}]"), parsed.Get("PermittedIPRanges"));
        Assert.Equal(Value.ParseJson("[\"bad.example.org\"]"), parsed.Get("ExcludedEmailAddresses"));
        Assert.Equal(NullValue.Instance, parsed.Get("ExcludedDNSDomains"));
        Assert.Equal(StringValue.Create("1970-01-01T00:00:00Z"), parsed.Get("NotBefore"));
    }

    [Fact]
    public void ParseCertificates_AcceptsBase64DerAndBase64Pem()
    {
        var pki = Pki.Value;
        var fromPem = Call("crypto.x509.parse_certificates", pki.LeafPem);
        Assert.Equal(fromPem, Call("crypto.x509.parse_certificates", Convert.ToBase64String(pki.Leaf.RawData)));
        Assert.Equal(fromPem, Call("crypto.x509.parse_certificates", Convert.ToBase64String(Encoding.ASCII.GetBytes(pki.LeafPem))));
    }

    [Theory]
    [InlineData("foobar", "illegal base64 data at input byte 4")]
    [InlineData("YmFkc3RyaW5n", "x509: malformed certificate")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "PEM block type is 'PRIVATE KEY', expected CERTIFICATE")]
    public void ParseCertificates_Errors(string input, string message)
    {
        var e = Fails("crypto.x509.parse_certificates", input);
        Assert.Equal(RegoErrorCodes.BuiltinError, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ParseAndVerify_ReturnsTheChainFromLeafToRoot()
    {
        var pki = Pki.Value;
        var result = Assert.IsType<ArrayValue>(Call("crypto.x509.parse_and_verify_certificates", pki.RootPem + pki.IntermediatePem + pki.LeafPem));
        Assert.Equal(BooleanValue.True, result[0]);
        var names = ((ArrayValue)result[1]).Items.ToArray().Select(c => ((ObjectValue)((ObjectValue)c).Get("Subject")!).Get("CommonName")).ToArray();
        Assert.Equal(new Value?[] { "leaf.example", "Test Intermediate", "Test Root" }, names);
    }

    [Theory]
    [InlineData("leaf-only")]
    [InlineData("wrong-root")]
    [InlineData("garbage")]
    public void ParseAndVerify_FailsClosed(string variant)
    {
        var pki = Pki.Value;
        var input = variant switch
        {
            "leaf-only" => pki.LeafPem,
            "wrong-root" => pki.LeafPem + pki.IntermediatePem + pki.LeafPem,
            _ => "garbage",
        };
        Assert.Equal(ArrayValue.Create(BooleanValue.False, ArrayValue.Empty), Call("crypto.x509.parse_and_verify_certificates", input));
    }

    [Theory]
    [InlineData("{\"DNSName\":\"alt.example\"}", true)]
    [InlineData("{\"DNSName\":\"other.example\"}", false)]
    [InlineData("{\"CurrentTime\":1893549845000000000}", true)]
    [InlineData("{\"CurrentTime\":1999999999000000000}", false)]
    [InlineData("{\"KeyUsages\":[\"KeyUsageServerAuth\"]}", true)]
    [InlineData("{\"KeyUsages\":[\"KeyUsageCodeSigning\"]}", false)]
    [InlineData("{\"KeyUsages\":[\"KeyUsageAny\"]}", true)]
    public void ParseAndVerifyWithOptions_AppliesOptions(string options, bool valid)
    {
        var pki = Pki.Value;
        var result = Assert.IsType<ArrayValue>(Call("crypto.x509.parse_and_verify_certificates_with_options",
            pki.RootPem + pki.IntermediatePem + pki.LeafPem, Value.ParseJson(options)));
        Assert.Equal(BooleanValue.Create(valid), result[0]);
    }

    [Fact]
    public void ParseAndVerifyWithOptions_RejectsUnknownOptions()
    {
        var e = Fails("crypto.x509.parse_and_verify_certificates_with_options", "x", Value.ParseJson("{\"Color\":1}"));
        Assert.Equal(RegoErrorCodes.EvalTypeError, e.Code);
        Assert.Equal("operand 2 invalid key option: \"Color\"", e.Message);
    }

    [Fact]
    public void ParseCertificateRequest_ReadsSubjectAndRequestedNames()
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=csr.example, O=Agents", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("csr.example");
        req.CertificateExtensions.Add(san.Build());
        var pem = req.CreateSigningRequestPem();
        var csr = Assert.IsType<ObjectValue>(Call("crypto.x509.parse_certificate_request", pem));
        Assert.Equal(StringValue.Create("csr.example"), ((ObjectValue)csr.Get("Subject")!).Get("CommonName"));
        Assert.Equal(Value.ParseJson("[\"Agents\"]"), ((ObjectValue)csr.Get("Subject")!).Get("Organization"));
        Assert.Equal(Value.ParseJson("[\"csr.example\"]"), csr.Get("DNSNames"));
        Assert.Equal(csr, Call("crypto.x509.parse_certificate_request", Convert.ToBase64String(req.CreateSigningRequest())));
    }

    [Theory]
    [InlineData("foobar", "illegal base64 data at input byte 4")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "invalid PEM-encoded certificate signing request")]
    public void ParseCertificateRequest_Errors(string input, string message) =>
        Assert.Equal(message, Fails("crypto.x509.parse_certificate_request", input).Message);

    [Fact]
    public void ParseCertificateRequest_MalformedDerIsAnAsn1Error() =>
        Assert.StartsWith("asn1: structure error: ", Fails("crypto.x509.parse_certificate_request", "YmFkc3RyaW5n").Message, StringComparison.Ordinal);

    [Fact]
    public void ParseRsaPrivateKey_ReturnsAJwk()
    {
        var pki = Pki.Value;
        var p = pki.LeafKey.ExportParameters(true);
        static string B(byte[]? b) => Convert.ToBase64String(b!).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expected = ObjectValue.Create(("kty", "RSA"), ("n", B(p.Modulus)), ("e", B(p.Exponent)), ("d", B(p.D)), ("p", B(p.P)),
            ("q", B(p.Q)), ("dp", B(p.DP)), ("dq", B(p.DQ)), ("qi", B(p.InverseQ)));
        Assert.Equal(expected, Call("crypto.x509.parse_rsa_private_key", pki.LeafKey.ExportRSAPrivateKeyPem()));
        Assert.Equal(expected, Call("crypto.x509.parse_rsa_private_key", pki.LeafKey.ExportPkcs8PrivateKeyPem()));
        Assert.Equal("illegal base64 data at input byte 4", Fails("crypto.x509.parse_rsa_private_key", "invalid").Message);
    }

    [Fact]
    public void ParsePrivateKeys_ReadsEveryKeyBlock()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = Pki.Value.LeafKey.ExportRSAPrivateKeyPem() + "\n" + ec.ExportPkcs8PrivateKeyPem() + "\n";
        var keys = Assert.IsType<ArrayValue>(Call("crypto.parse_private_keys", pem));
        Assert.Equal(2, keys.Count);
        Assert.NotNull(((ObjectValue)keys[0]).Get("Primes"));
        Assert.Equal(StringValue.Create("P-256"), ((ObjectValue)((ObjectValue)keys[1]).Get("Curve")!).Get("Name"));
        Assert.Equal(keys, Call("crypto.parse_private_keys", Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))));
    }

    [Theory]
    [InlineData("", "null")]
    [InlineData("nope", "[]")]
    public void ParsePrivateKeys_EmptyAndKeylessInput(string input, string expected) =>
        Assert.Equal(Value.ParseJson(expected), Call("crypto.parse_private_keys", input));

    [Fact]
    public void ParseKeyPair_ChecksTheKeyMatches()
    {
        var pki = Pki.Value;
        var pair = Assert.IsType<ObjectValue>(Call("crypto.x509.parse_keypair", pki.LeafPem, pki.LeafKey.ExportPkcs8PrivateKeyPem()));
        Assert.Equal(Value.ParseJson($"[\"{Convert.ToBase64String(pki.Leaf.RawData)}\"]"), pair.Get("Certificate"));
        Assert.Equal(pair, Call("crypto.x509.parse_keypair", Convert.ToBase64String(pki.Leaf.RawData),
            Convert.ToBase64String(Encoding.ASCII.GetBytes(pki.LeafKey.ExportPkcs8PrivateKeyPem()))));

        using var other = RSA.Create(2048);
        Assert.Equal("tls: private key does not match public key",
            Fails("crypto.x509.parse_keypair", pki.LeafPem, other.ExportPkcs8PrivateKeyPem()).Message);
        Assert.Equal("tls: failed to find any PEM data in key input", Fails("crypto.x509.parse_keypair", pki.LeafPem, "-----BEGIN X-----\nAAAA\n-----END X-----\n").Message);
    }

    /// <summary>A root, an intermediate (path length 0) and a server leaf valid until 2030-01-02T03:04:05Z.</summary>
    private sealed class TestPki
    {
        public TestPki()
        {
            var notBefore = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var notAfter = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootReq = new CertificateRequest("CN=Test Root", rootKey, HashAlgorithmName.SHA256);
            rootReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            using var root = rootReq.CreateSelfSigned(notBefore, notAfter.AddYears(1));

            using var interKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var interReq = new CertificateRequest("CN=Test Intermediate", interKey, HashAlgorithmName.SHA256);
            interReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            interReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            using var interPublic = interReq.Create(root, notBefore, notAfter.AddMonths(6), [1]);
            using var inter = interPublic.CopyWithPrivateKey(interKey);

            LeafKey = RSA.Create(2048);
            var leafReq = new CertificateRequest("CN=leaf.example, C=US", LeafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("leaf.example");
            san.AddDnsName("alt.example");
            san.AddUri(new Uri("spiffe://example.org/agent"));
            san.AddEmailAddress("ops@example.org");
            san.AddIpAddress(IPAddress.Loopback);
            leafReq.CertificateExtensions.Add(san.Build());
            leafReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            leafReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var leafSigned = leafReq.Create(inter.SubjectName, X509SignatureGenerator.CreateForECDsa(interKey), notBefore, notAfter, [0x12, 0x34]);
            Leaf = leafSigned;
            RootPem = root.ExportCertificatePem() + "\n";
            IntermediatePem = inter.ExportCertificatePem() + "\n";
            LeafPem = leafSigned.ExportCertificatePem() + "\n";
        }

        public RSA LeafKey { get; }

        public X509Certificate2 Leaf { get; }

        public string RootPem { get; }

        public string IntermediatePem { get; }

        public string LeafPem { get; }
    }
}
