using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Benchmarks;

/// <summary>
/// What a resource (the researcher agent) spends on a token the edge issued by exchange: Microsoft.IdentityModel's
/// validation with the parameters the SDK's ExchangedTokenValidator uses (signature by the JWKS key, issuer, the
/// agent's SPIFFE ID as audience, <c>typ: at+jwt</c>, asymmetric algorithms only, lifetime) and reading the
/// <c>act</c> chain, against the baseline: a raw ES256 verification of the same bytes with the same public key.
/// </summary>
[MemoryDiagnoser]
public class IssuedTokenValidationBenchmarks
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };
    private string _token = "";
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private ECDsa _publicKey = null!;
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        string jwks;
        string issuer;
        var edge = BenchEdge.StartAsync(exchanges: 1).GetAwaiter().GetResult();
        try
        {
            _token = BenchEdge.AccessToken(edge.ExchangeAsync().GetAwaiter().GetResult());
            issuer = edge.Issuer.ToString();
            jwks = edge.Http.GetStringAsync(new Uri(".well-known/jwks", UriKind.Relative)).GetAwaiter().GetResult();
        }
        finally
        {
            edge.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var keys = new JsonWebKeySet(jwks).GetSigningKeys();
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = BenchEdge.Researcher,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
                SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            ValidTypes = ["at+jwt"],
            RequireSignedTokens = true,
            TryAllIssuerSigningKeys = false,
        };

        var kid = new JsonWebToken(_token).Kid;
        var jwk = new JsonWebKeySet(jwks).Keys.Single(k => k.Kid == kid);
        _publicKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
        });
        var lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = Base64UrlEncoder.DecodeBytes(_token[(lastDot + 1)..]);
        if (!RawEs256Verify() || ValidateAsResource().GetAwaiter().GetResult() != BenchEdge.Frontend)
        {
            throw new InvalidOperationException("the issued token does not verify");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _publicKey.Dispose();

    [Benchmark(Baseline = true)]
    public bool RawEs256Verify() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    /// <summary>The validation, then the nearest actor the resource compares with its mTLS caller.</summary>
    [Benchmark]
    public async Task<string?> ValidateAsResource()
    {
        var result = await s_handler.ValidateTokenAsync(_token, _parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return null;
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        return payload.RootElement.GetProperty("act").GetProperty("sub").GetString();
    }
}
