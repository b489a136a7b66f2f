using System.Security.Cryptography;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;
using Grpc.Core;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Catalogue group JF: FetchJWTSVID (Workload API §6.2.1).</summary>
public sealed class JwtFetchTests : WorkloadApiTestBase, IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private JwtSigningKey Signer => JwtSigningKey.Create(_key, "k1");

    public void Dispose() => _key.Dispose();

    private void IssueTokens(params string[] ids) =>
        Api.JwtSvidHandler = request =>
        {
            var response = new JWTSVIDResponse();
            foreach (var id in ids.Where(i => request.SpiffeId.Length == 0 || i == request.SpiffeId))
            {
                response.Svids.Add(new JWTSVID
                {
                    SpiffeId = id,
                    Svid = EndpointTests.Mint(SpiffeId.Parse(id), [.. request.Audience], Signer),
                });
            }

            return response.Svids.Count == 0
                ? throw new RpcException(new Status(StatusCode.PermissionDenied, "no identity issued"))
                : response;
        };

    [Fact]
    public async Task JF_1_PassesAudienceAndReturnsServerToken()
    {
        IssueTokens("spiffe://example.org/a");
        using var client = new WorkloadApiClient(FastOptions());

        var svid = await client.FetchJwtSvidAsync("conformance");

        var request = (JWTSVIDRequest)Assert.Single(Api.CallsTo("FetchJWTSVID")).Request;
        Assert.Equal(["conformance"], request.Audience);
        Assert.Equal(string.Empty, request.SpiffeId);
        Assert.Equal("spiffe://example.org/a", svid.Id.ToString());
        Assert.Equal(["conformance"], svid.Audience);
    }

    [Fact]
    public async Task JF_2_PassesSeveralAudiencesUnchanged()
    {
        IssueTokens("spiffe://example.org/a");
        using var client = new WorkloadApiClient(FastOptions());

        var svid = await client.FetchJwtSvidAsync("conformance", ["second", "third"]);

        var request = (JWTSVIDRequest)Assert.Single(Api.CallsTo("FetchJWTSVID")).Request;
        Assert.Equal(["conformance", "second", "third"], request.Audience);
        Assert.Equal(["conformance", "second", "third"], svid.Audience);
    }

    [Fact]
    public async Task JF_3_PassesSpiffeIdThrough()
    {
        IssueTokens("spiffe://example.org/a", "spiffe://example.org/b");
        using var client = new WorkloadApiClient(FastOptions());

        var svid = await client.FetchJwtSvidAsync("conformance", subject: SpiffeId.Parse("spiffe://example.org/b"));
        var all = await client.FetchJwtSvidsAsync("conformance");

        var request = (JWTSVIDRequest)Api.CallsTo("FetchJWTSVID").First().Request;
        Assert.Equal("spiffe://example.org/b", request.SpiffeId);
        Assert.Equal("spiffe://example.org/b", svid.Id.ToString());
        Assert.Equal(["spiffe://example.org/a", "spiffe://example.org/b"], all.Select(s => s.Id.ToString()));
    }

    [Fact]
    public async Task JF_4_ReportsPermissionDeniedAsError()
    {
        IssueTokens("spiffe://example.org/a");
        await using var source = await JwtSourceWithBundlesAsync();
        var first = await source.FetchJwtSvidAsync("conformance");

        Api.JwtSvidHandler = _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "no identity issued"));
        using var client = new WorkloadApiClient(FastOptions());
        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchJwtSvidAsync("other"));

        Assert.Equal("spiffe://example.org/a", first.Id.ToString());
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("workloadapi: FetchJWTSVID failed: PermissionDenied: no identity issued", error.Message);
        var sourceError = await Assert.ThrowsAsync<WorkloadApiException>(() => source.FetchJwtSvidAsync("other"));
        Assert.Equal(StatusCode.PermissionDenied, sourceError.StatusCode);
    }

    private async Task<JwtSource> JwtSourceWithBundlesAsync()
    {
        Api.SetJwtBundles(new Bundles.Jwt.JwtBundle(Ca.TrustDomain, [Signer.ToJwtAuthority()]));
        return await JwtSource.CreateAsync(FastOptions());
    }
}
