using System.Security.Cryptography;
using System.Text;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Spiffe.Benchmarks;

/// <summary>
/// JWT-SVID validation (ES256: split, base64url, header and claim checks, bundle lookup, signature, time, audience)
/// against a bare ECDSA P-256 verify of the same signing input and signature (the baseline). Goal: validation at
/// 70 % or more of the raw rate, i.e. a ratio of at most 1.43.
/// </summary>
[MemoryDiagnoser]
public class JwtSvidValidationBenchmarks
{
    private static readonly string[] s_audience = ["spiffe://example.org/reports"];

    private ECDsa _publicKey = null!;
    private JwtBundleSet _bundles = null!;
    private JwtSvidValidationOptions _options = null!;
    private string _token = null!;
    private string _tokenWithoutKid = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var privateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _publicKey = ECDsa.Create(privateKey.ExportParameters(false));
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new FixedClock(now);
        _options = new JwtSvidValidationOptions { TimeProvider = clock };

        var trustDomain = TrustDomain.Parse("example.org");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _bundles = new JwtBundleSet(
            new JwtBundle(trustDomain, [new JwtAuthority("other", otherKey), new JwtAuthority("k1", privateKey)]),
            new JwtBundle(TrustDomain.Parse("fed.example.org"), [new JwtAuthority("fed", otherKey)]));

        var subject = SpiffeId.Parse("spiffe://example.org/ns/payments/sa/web-frontend");
        _token = JwtSvid.Mint(subject, s_audience, now.AddMinutes(5), new JwtSigningKey(privateKey, "ES256", "k1"), clock).Token;
        _tokenWithoutKid = JwtSvid.Mint(subject, s_audience, now.AddMinutes(5), new JwtSigningKey(privateKey, "ES256", null), clock).Token;

        int lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = Base64UrlDecode(_token[(lastDot + 1)..]);
        if (!RawVerify() || ParseAndValidate().Id != subject || ParseAndValidateWithoutKid().Id != subject)
        {
            throw new InvalidOperationException("benchmark setup produced an invalid token");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _publicKey.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawVerify() =>
        _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public JwtSvid ParseAndValidate() => JwtSvid.Parse(_token, _bundles, s_audience, _options);

    // Without kid, the right key is the second of the bundle: two verifications, by design (JWT-SVID §2.2).
    [Benchmark]
    public JwtSvid ParseAndValidateWithoutKid() => JwtSvid.Parse(_tokenWithoutKid, _bundles, s_audience, _options);

    // Everything but the signature: the SDK's own cost per token.
    [Benchmark]
    public JwtSvid ParseInsecure() => JwtSvid.ParseInsecure(_token, s_audience, _options);

    internal static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
