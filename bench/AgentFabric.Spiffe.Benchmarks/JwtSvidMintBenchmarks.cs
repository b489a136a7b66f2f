using System.Security.Cryptography;
using System.Text;
using AgentFabric.Spiffe.Svid.Jwt;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.Spiffe.Benchmarks;

/// <summary>
/// JWT-SVID minting (claims JSON, base64url, ES256 signature, the SVID object) against a bare ECDSA P-256 SignData of
/// a signing input of the same size (the baseline). Goal: minting at 50 % or more of the raw rate (ratio at most 2).
/// </summary>
[MemoryDiagnoser]
public class JwtSvidMintBenchmarks
{
    private static readonly string[] s_audience = ["spiffe://example.org/reports"];

    private ECDsa _key = null!;
    private JwtSigningKey _signingKey = null!;
    private JwtSvidValidationBenchmarks.FixedClock _clock = null!;
    private SpiffeId _subject;
    private DateTimeOffset _expiry;
    private byte[] _signingInput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signingKey = new JwtSigningKey(_key, "ES256", "k1");
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        _clock = new JwtSvidValidationBenchmarks.FixedClock(now);
        _expiry = now.AddMinutes(5);
        _subject = SpiffeId.Parse("spiffe://example.org/ns/payments/sa/web-frontend");
        string token = Mint().Token;
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawSign() =>
        _key.SignData(_signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public JwtSvid Mint() => JwtSvid.Mint(_subject, s_audience, _expiry, _signingKey, _clock);
}
