using System.Security.Cryptography;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

public sealed class JwtSourceTests : WorkloadApiTestBase, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => _key.Dispose();

    private JwtSigningKey Signer => JwtSigningKey.Create(_key, "k1");

    [Fact]
    public async Task CachesSvidPerAudienceUntilHalfLifetime()
    {
        Api.SetJwtBundles(new JwtBundle(Ca.TrustDomain, [Signer.ToJwtAuthority()]));
        Api.JwtSvidHandler = r => new JWTSVIDResponse
        {
            Svids =
            {
                new JWTSVID
                {
                    SpiffeId = "spiffe://example.org/a",
                    Svid = JwtSvid.Mint(SpiffeId.Parse("spiffe://example.org/a"), [.. r.Audience], _time.GetUtcNow().AddMinutes(10), Signer, _time).Token,
                },
            },
        };
        await using var source = await JwtSource.CreateAsync(FastOptions() with { TimeProvider = _time });

        var first = await source.FetchJwtSvidAsync("db");
        _time.Advance(TimeSpan.FromMinutes(4));
        var cached = await source.FetchJwtSvidAsync("db");
        var otherAudience = await source.FetchJwtSvidAsync("cache");
        _time.Advance(TimeSpan.FromMinutes(1));
        var refreshed = await source.FetchJwtSvidAsync("db");

        Assert.Same(first, cached);
        Assert.Equal(["cache"], otherAudience.Audience);
        Assert.NotSame(first, refreshed);
        Assert.Equal(3, Api.CallsTo("FetchJWTSVID").Count());
    }

    [Fact]
    public async Task BundleUpdatesReplaceTheWholeSet()
    {
        var fed = TrustDomain.Parse("fed.example.org");
        Api.SetJwtBundles(new JwtBundle(Ca.TrustDomain, [Signer.ToJwtAuthority()]), new JwtBundle(fed, [Signer.ToJwtAuthority()]));
        await using var source = await JwtSource.CreateAsync(FastOptions());
        Assert.Equal("k1", source.GetJwtBundleForTrustDomain(fed).JwtAuthorities[0].KeyId);

        Api.SetJwtBundles(new JwtBundle(Ca.TrustDomain, [Signer.ToJwtAuthority()]));
        await Eventually.TrueAsync(() => source.Bundles!.Count == 1, "federated bundle removed");

        var error = Assert.Throws<JwtBundleException>(() => source.GetJwtBundleForTrustDomain(fed));
        Assert.Equal("jwtbundle: no JWT bundle for trust domain \"fed.example.org\"", error.Message);
        var token = JwtSvid.Mint(SpiffeId.Parse("spiffe://example.org/x"), ["aud"], DateTimeOffset.UtcNow.AddMinutes(5), Signer, TimeProvider.System);
        Assert.Equal("spiffe://example.org/x", JwtSvid.Parse(token.Token, source, ["aud"]).Id.ToString());
    }

    [Fact]
    public async Task ValidateJwtSvid_ReturnsClaimsOrEndpointReason()
    {
        var token = JwtSvid.Mint(SpiffeId.Parse("spiffe://example.org/x"), ["aud"], DateTimeOffset.UtcNow.AddMinutes(5), Signer, TimeProvider.System);
        Api.ValidateHandler = r => r.Audience == "aud"
            ? new ValidateJWTSVIDResponse { SpiffeId = "spiffe://example.org/x", Claims = new() }
            : throw new RpcException(new Status(StatusCode.InvalidArgument, "jwtsvid: audience mismatch"));
        using var client = new WorkloadApiClient(FastOptions());

        var valid = await client.ValidateJwtSvidAsync(token.Token, "aud");
        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => client.ValidateJwtSvidAsync(token.Token, "other"));

        Assert.Equal("spiffe://example.org/x", valid.Id.ToString());
        Assert.Equal("workloadapi: ValidateJWTSVID failed: InvalidArgument: jwtsvid: audience mismatch", error.Message);
    }
}
