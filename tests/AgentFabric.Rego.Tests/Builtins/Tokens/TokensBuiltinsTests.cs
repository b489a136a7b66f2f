using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using AgentFabric.Rego.Builtins;
using AgentFabric.Rego.Values;

namespace AgentFabric.Rego.Tests.Builtins.Tokens;

public class TokensBuiltinsTests
{
    private static readonly BuiltinRegistry Registry = BuiltinCatalog.CreateDefault();

    // RFC 7515 Appendix A.1: HS256 over a header and payload with CRLFs, and its symmetric key.
    private const string Rfc7515Header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    private const string Rfc7515Payload = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    private const string Rfc7515Key = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";
    private const string Rfc7515Token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    // RFC 8037 Appendix A.1/A.4: an Ed25519 key and its deterministic signature.
    private const string Rfc8037Key = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    private const string Rfc8037Token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

    private static Value Call(string name, params Value[] args) => Registry.Invoke(name, new BuiltinContext(), args)!;

    private static Value CallAt(long nowSeconds, string name, params Value[] args) =>
        Registry.Invoke(name, new BuiltinContext(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(nowSeconds))), args)!;

    private static RegoBuiltinException Fails(string name, params Value[] args) =>
        Assert.Throws<RegoBuiltinException>(() => Registry.Invoke(name, new BuiltinContext(), args));

    [Fact]
    public void EncodeSignRaw_MatchesRfc7515AppendixA1() =>
        Assert.Equal(StringValue.Create(Rfc7515Token), Call("io.jwt.encode_sign_raw", Rfc7515Header, Rfc7515Payload, Rfc7515Key));

    [Fact]
    public void EncodeSignRaw_MatchesRfc8037AppendixA4() =>
        Assert.Equal(StringValue.Create(Rfc8037Token), Call("io.jwt.encode_sign_raw", "{\"alg\":\"EdDSA\"}", "Example of Ed25519 signing", Rfc8037Key));

    [Fact]
    public void VerifyEdDsa_AcceptsTheRfc8037Signature()
    {
        var publicJwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
        Assert.Equal(BooleanValue.True, Call("io.jwt.verify_eddsa", Rfc8037Token, publicJwk));
        Assert.Equal(BooleanValue.False, Call("io.jwt.verify_eddsa", Rfc8037Token[..^2] + "AA", publicJwk));
    }

    [Fact]
    public void Decode_ReturnsHeaderClaimsAndHexSignature()
    {
        var result = Assert.IsType<ArrayValue>(Call("io.jwt.decode", Rfc7515Token));
        Assert.Equal(Value.ParseJson("{\"typ\":\"JWT\",\"alg\":\"HS256\"}"), result[0]);
        Assert.Equal(Value.ParseJson(Rfc7515Payload), result[1]);
        Assert.Equal(StringValue.Create("7418dfb49799e0254ffa607dd8adbbba16d4254d69d6bff05b58055853848d79"), result[2]);
    }

    [Fact]
    public void Decode_FollowsNestedTokens()
    {
        var inner = Rfc7515Token;
        var outer = Call("io.jwt.encode_sign_raw", "{\"alg\":\"HS256\",\"cty\":\"JWT\"}", "\"" + inner + "\"", Rfc7515Key);
        var result = Assert.IsType<ArrayValue>(Call("io.jwt.decode", outer));
        Assert.Equal(Value.ParseJson(Rfc7515Payload), result[1]);
    }

    [Theory]
    [InlineData("abc", "encoded JWT had no period separators")]
    [InlineData("a.b", "encoded JWT must have 3 sections, found 2")]
    [InlineData("a.b.c.d", "encoded JWT must have 3 sections, found 4")]
    [InlineData("eyJhbGciOiJIU^%zI1NiJ9.e30.AA", "JWT header had invalid encoding: illegal base64 data at input byte 13")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e3(0.AA", "JWT payload had invalid encoding: illegal base64 data at input byte 2")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.A(A", "JWT signature had invalid encoding: illegal base64 data at input byte 1")]
    [InlineData("eyJhbGciOiJIUzI1NiIsImVuYyI6IngifQ.e30.AA", "JWT is a JWE object, which is not supported")]
    public void Decode_Errors(string token, string message)
    {
        var e = Fails("io.jwt.decode", token);
        Assert.Equal(RegoErrorCodes.BuiltinError, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("io.jwt.verify_hs256", "secret", true)]
    [InlineData("io.jwt.verify_hs256", "wrong", false)]
    [InlineData("io.jwt.verify_hs384", "secret", false)]
    public void VerifyHs_ChecksTheMac(string name, string secret, bool valid)
    {
        var token = Call("io.jwt.encode_sign", ObjectValue.Create(("alg", "HS256")), ObjectValue.Create(("sub", "x")),
            ObjectValue.Create(("kty", "oct"), ("k", "c2VjcmV0")));
        Assert.Equal(BooleanValue.Create(valid), Call(name, token, secret));
    }

    public static TheoryData<string, string> AsymmetricAlgorithms => new()
    {
        { "RS256", "io.jwt.verify_rs256" }, { "RS384", "io.jwt.verify_rs384" }, { "RS512", "io.jwt.verify_rs512" },
        { "PS256", "io.jwt.verify_ps256" }, { "PS384", "io.jwt.verify_ps384" }, { "PS512", "io.jwt.verify_ps512" },
        { "ES256", "io.jwt.verify_es256" }, { "ES384", "io.jwt.verify_es384" }, { "ES512", "io.jwt.verify_es512" },
    };

    [Theory]
    [MemberData(nameof(AsymmetricAlgorithms))]
    public void EncodeSign_VerifiesWithPemCertificateAndJwk(string alg, string verify)
    {
        var key = TestKey.Shared(alg);
        var token = Call("io.jwt.encode_sign", ObjectValue.Create(("alg", alg), ("typ", "JWT")), ObjectValue.Create(("iss", "me")), key.PrivateJwk);
        Assert.Equal(BooleanValue.True, Call(verify, token, key.CertificatePem));
        Assert.Equal(BooleanValue.True, Call(verify, token, key.PublicKeyPem));
        Assert.Equal(BooleanValue.True, Call(verify, token, "{\"keys\":[" + key.PublicJwk + "]}"));

        var other = TestKey.Shared(alg + "/other");
        Assert.Equal(BooleanValue.False, Call(verify, token, other.PublicKeyPem));
        var tampered = ((StringValue)token).Value.Replace(".ey", ".eyJ4IjoxfQ.ey", StringComparison.Ordinal).Split('.');
        Assert.Equal(BooleanValue.False, Call(verify, string.Join('.', tampered[0], tampered[1], tampered[3]), key.PublicKeyPem));
    }

    [Theory]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\nextra", "extra data after a PEM certificate block")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "failed to parse a PEM certificate: ")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----", "failed to extract a Key from the PEM certificate")]
    [InlineData("not a key", "failed to parse a JWK key (set): ")]
    [InlineData("{\"kty\":\"XYZ\"}", "failed to parse a JWK key (set): invalid key type from JSON (XYZ)")]
    public void Verify_KeyErrors(string key, string messageStart)
    {
        var e = Fails("io.jwt.verify_rs256", Rfc7515Token, key);
        Assert.StartsWith(messageStart, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\"}", 1000, true)]
    [InlineData("{\"secret\":\"bad\",\"aud\":\"bob\"}", 1000, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\",\"alg\":\"HS256\"}", 1000, true)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\",\"alg\":\"HS512\"}", 1000, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\",\"iss\":\"joe\"}", 1000, true)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\",\"iss\":\"ann\"}", 1000, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"sam\"}", 1000, true)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"eve\"}", 1000, false)]

    // RFC 7519 §4.1.3: a token with an audience is rejected unless the caller names one of its audiences.
    [InlineData("{\"secret\":\"k\"}", 1000, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\"}", 1999, true)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\"}", 2000, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\"}", 999, false)]
    [InlineData("{\"secret\":\"k\",\"aud\":\"bob\",\"time\":1500000000000}", 5000, true)]
    public void DecodeVerify_AppliesConstraints(string constraints, long now, bool valid)
    {
        var token = Call("io.jwt.encode_sign", ObjectValue.Create(("alg", "HS256")),
            Value.ParseJson("{\"iss\":\"joe\",\"aud\":[\"bob\",\"sam\"],\"nbf\":1000,\"exp\":2000}"), ObjectValue.Create(("kty", "oct"), ("k", "aw")));
        var result = Assert.IsType<ArrayValue>(CallAt(now, "io.jwt.decode_verify", token, Value.ParseJson(constraints)));
        Assert.Equal(BooleanValue.Create(valid), result[0]);
        Assert.Equal(valid ? Value.ParseJson("{\"alg\":\"HS256\"}") : ObjectValue.Empty, result[1]);
    }

    [Fact]
    public void DecodeVerify_MissingAudienceFailsWhenRequired()
    {
        var token = Call("io.jwt.encode_sign", ObjectValue.Create(("alg", "HS256")), ObjectValue.Create(("iss", "joe")), ObjectValue.Create(("kty", "oct"), ("k", "aw")));
        Assert.Equal(BooleanValue.False, ((ArrayValue)Call("io.jwt.decode_verify", token, Value.ParseJson("{\"secret\":\"k\",\"aud\":\"x\"}")))[0]);
    }

    [Theory]
    [InlineData("{}", "no key constraint")]
    [InlineData("{\"secret\":\"k\",\"cert\":\"{\\\"kty\\\":\\\"oct\\\",\\\"k\\\":\\\"aw\\\"}\"}", "duplicate key constraints")]
    [InlineData("{\"secret\":\"k\",\"color\":\"red\"}", "unknown token validation constraint: color")]
    [InlineData("{\"secret\":\"k\",\"time\":\"now\"}", "token time constraint: must be a number")]
    public void DecodeVerify_ConstraintErrors(string constraints, string message) =>
        Assert.Equal(message, Fails("io.jwt.decode_verify", Rfc7515Token, Value.ParseJson(constraints)).Message);

    [Theory]
    [InlineData("{\"exp\":null}", "exp value must be a number")]
    [InlineData("{\"nbf\":\"soon\"}", "nbf value must be a number")]
    public void DecodeVerify_ClaimTypeErrors(string claims, string message)
    {
        var token = Call("io.jwt.encode_sign", ObjectValue.Create(("alg", "HS256")), Value.ParseJson(claims), ObjectValue.Create(("kty", "oct"), ("k", "aw")));
        Assert.Equal(message, Fails("io.jwt.decode_verify", token, Value.ParseJson("{\"secret\":\"k\"}")).Message);
    }

    [Theory]
    [InlineData("", "{}", "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string")]
    [InlineData("e", "{}", "missing or invalid 'alg' header: jwsbb: header \"alg\" not found")]
    [InlineData("{}", "{}", "missing or invalid 'alg' header: jwsbb: header \"alg\" not found")]
    [InlineData("{\"alg\":\"none!\"}", "{}", "unknown JWS algorithm: none!")]
    [InlineData("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "not json", "type is JWT but payload is not JSON")]
    public void EncodeSignRaw_Errors(string header, string payload, string message) =>
        Assert.Equal(message, Fails("io.jwt.encode_sign_raw", header, payload, Rfc7515Key).Message);

    [Fact]
    public void EncodeSign_WritesSetsAsArraysAndKeysSorted()
    {
        var token = ((StringValue)Call("io.jwt.encode_sign", ObjectValue.Create(("typ", "JWT"), ("alg", "HS256")),
            ObjectValue.Create(("b", SetValue.Create("y", "x")), ("a", 1)), ObjectValue.Create(("kty", "oct"), ("k", "aw")))).Value;
        Assert.StartsWith("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhIjoxLCJiIjpbIngiLCJ5Il19.", token, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(222)]
    public void VerifyPs256_AcceptsAnySaltLength(int saltLength)
    {
        var key = TestKey.Shared("PS256");
        var input = "eyJhbGciOiJQUzI1NiJ9.e30";
        var signature = PssSign(key.Rsa!, System.Text.Encoding.ASCII.GetBytes(input), saltLength);
        var token = input + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(BooleanValue.True, Call("io.jwt.verify_ps256", token, key.PublicKeyPem));
        signature[^2] ^= 1;
        var bad = input + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(BooleanValue.False, Call("io.jwt.verify_ps256", bad, key.PublicKeyPem));
    }

    // EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with an explicit salt length, then RSASP1 with the private exponent.
    private static byte[] PssSign(RSA rsa, byte[] message, int saltLength)
    {
        var p = rsa.ExportParameters(true);
        var n = new System.Numerics.BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new System.Numerics.BigInteger(p.D, isUnsigned: true, isBigEndian: true);
        var emBits = (int)n.GetBitLength() - 1;
        var emLen = (emBits + 7) / 8;
        var mHash = SHA256.HashData(message);
        var salt = RandomNumberGenerator.GetBytes(saltLength);
        var h = SHA256.HashData([.. new byte[8], .. mHash, .. salt]);
        var db = new byte[emLen - 32 - 1];
        db[db.Length - saltLength - 1] = 1;
        salt.CopyTo(db, db.Length - saltLength);
        var mask = new byte[db.Length];
        for (uint c = 0, done = 0; done < mask.Length; c++)
        {
            var block = SHA256.HashData([.. h, (byte)(c >> 24), (byte)(c >> 16), (byte)(c >> 8), (byte)c]);
            var take = (int)Math.Min(block.Length, mask.Length - done);
            block.AsSpan(0, take).CopyTo(mask.AsSpan((int)done));
            done += (uint)take;
        }

        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xff >> ((8 * emLen) - emBits));
        byte[] em = [.. db, .. h, 0xbc];
        var s = System.Numerics.BigInteger.ModPow(new System.Numerics.BigInteger(em, isUnsigned: true, isBigEndian: true), d, n);
        var sig = new byte[p.Modulus!.Length];
        s.TryWriteBytes(sig.AsSpan(sig.Length - s.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return sig;
    }

    [Fact]
    public void EncodeSign_EscapesLikeGo()
    {
        var token = ((StringValue)Call("io.jwt.encode_sign", ObjectValue.Create(("alg", "HS256")),
            ObjectValue.Create(("h", "<a&b>\u2028\n")), ObjectValue.Create(("kty", "oct"), ("k", "aw")))).Value;
        var part = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=')));
        Assert.Equal("{\"h\":\"\\u003ca\\u0026b\\u003e\\u2028\\n\"}", payload);
    }

    /// <summary>A fresh key pair with a self-signed certificate, in the forms the builtins accept.</summary>
    private sealed class TestKey
    {
        // Key generation is slow (RSA especially), so each algorithm's keys are made once per test run.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TestKey> Cache = new();

        private TestKey(AsymmetricAlgorithm key, string privateJwk, string publicJwk, CertificateRequest request)
        {
            Rsa = key as RSA;
            PrivateJwk = Value.ParseJson(privateJwk);
            PublicJwk = publicJwk;
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            CertificatePem = cert.ExportCertificatePem();
            PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        }

        public RSA? Rsa { get; }

        public Value PrivateJwk { get; }

        public string PublicJwk { get; }

        public string CertificatePem { get; }

        public string PublicKeyPem { get; }

        private static string B(byte[]? b) => Convert.ToBase64String(b!).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static TestKey Shared(string name) =>
            Cache.GetOrAdd(name[0] is 'R' or 'P' ? "RSA" + name[5..] : name, n => Create(n.Split('/')[0]));

        private static TestKey Create(string alg)
        {
            if (alg.StartsWith('E'))
            {
                var (curve, crv) = alg switch
                {
                    "ES256" => (ECCurve.NamedCurves.nistP256, "P-256"),
                    "ES384" => (ECCurve.NamedCurves.nistP384, "P-384"),
                    _ => (ECCurve.NamedCurves.nistP521, "P-521"),
                };
                var ec = ECDsa.Create(curve);
                var p = ec.ExportParameters(true);
                var pub = $"{{\"kty\":\"EC\",\"crv\":\"{crv}\",\"x\":\"{B(p.Q.X)}\",\"y\":\"{B(p.Q.Y)}\"}}";
                return new TestKey(ec, pub[..^1] + $",\"d\":\"{B(p.D)}\"}}", pub, new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256));
            }

            var rsa = RSA.Create(2048);
            var r = rsa.ExportParameters(true);
            var rpub = $"{{\"kty\":\"RSA\",\"n\":\"{B(r.Modulus)}\",\"e\":\"{B(r.Exponent)}\"}}";
            var rpriv = rpub[..^1] + $",\"d\":\"{B(r.D)}\",\"p\":\"{B(r.P)}\",\"q\":\"{B(r.Q)}\",\"dp\":\"{B(r.DP)}\",\"dq\":\"{B(r.DQ)}\",\"qi\":\"{B(r.InverseQ)}\"}}";
            return new TestKey(rsa, rpriv, rpub, new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
    }
}
