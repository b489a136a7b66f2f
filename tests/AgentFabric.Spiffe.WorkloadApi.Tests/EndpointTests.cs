using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using AgentFabric.Spiffe.WorkloadApi.Tests.Infrastructure;
using Grpc.Core;
using System.Security.Cryptography;

namespace AgentFabric.Spiffe.WorkloadApi.Tests;

/// <summary>Catalogue group EP: the Workload Endpoint as a client sees it (Workload Endpoint §3, §4, §6).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EndpointTests : WorkloadApiTestBase
{
    [Fact]
    public async Task EP_1_DiscoversEndpointFromSpiffeEndpointSocket()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        Api.SetX509(CaBundle, [a]);
        string? previous = Environment.GetEnvironmentVariable(WorkloadEndpointAddress.EnvironmentVariable);
        Environment.SetEnvironmentVariable(WorkloadEndpointAddress.EnvironmentVariable, Server.Address);
        try
        {
            // No address configured: the client falls back to the variable (Workload Endpoint §4).
            await using var source = await X509Source.CreateAsync(new WorkloadApiClientOptions());
            Assert.Equal("spiffe://example.org/a", source.GetX509Svid().Id.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(WorkloadEndpointAddress.EnvironmentVariable, previous);
        }
    }

    [Fact]
    public async Task EP_2_SendsSecurityHeaderOnEveryCall()
    {
        var a = Ca.Issue("spiffe://example.org/a");
        Api.SetX509(CaBundle, [a]);
        using var jwtKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = JwtSigningKey.Create(jwtKey, "k1");
        var jwtBundle = new Bundles.Jwt.JwtBundle(Ca.TrustDomain, [signer.ToJwtAuthority()]);
        Api.SetJwtBundles(jwtBundle);
        Api.SetX509Bundles(CaBundle);
        Api.JwtSvidHandler = r => new JWTSVIDResponse
        {
            Svids = { new JWTSVID { SpiffeId = a.Id.ToString(), Svid = Mint(a.Id, [.. r.Audience], signer) } },
        };
        Api.ValidateHandler = r => new ValidateJWTSVIDResponse { SpiffeId = a.Id.ToString(), Claims = new() };

        using var client = new WorkloadApiClient(FastOptions());
        await client.FetchX509ContextAsync();
        await client.FetchX509BundlesAsync();
        await client.FetchJwtBundlesAsync();
        var token = await client.FetchJwtSvidAsync("conformance");
        await client.ValidateJwtSvidAsync(token.Token, "conformance");

        Assert.Equal(
            ["FetchJWTBundles", "FetchJWTSVID", "FetchX509Bundles", "FetchX509SVID", "ValidateJWTSVID"],
            Api.Calls.Select(c => c.Method).Order(StringComparer.Ordinal));
        Assert.All(Api.Calls, c => Assert.Equal("true", c.SecurityHeader));
    }

    [Fact]
    public async Task EP_3_SupportsTcpEndpoint()
    {
        await using var tcp = await WorkloadApiServer.StartTcpAsync();
        var a = Ca.Issue("spiffe://example.org/a");
        tcp.Api.SetX509(CaBundle, [a]);
        Assert.StartsWith("tcp://127.0.0.1:", tcp.Address, StringComparison.Ordinal);

        await using var source = await X509Source.CreateAsync(FastOptions(tcp.Address));

        Assert.Equal("spiffe://example.org/a", source.GetX509Svid().Id.ToString());
    }

    [Theory]
    [InlineData("unix://host{0}", "workloadapi: the unix endpoint address \"unix://host{0}\" must not have an authority")]
    [InlineData("unix:{0}", "workloadapi: the unix endpoint address \"unix:{0}\" must have an absolute path (unix:///path)")]
    [InlineData("unix://{0}?x=1", "workloadapi: the unix endpoint address \"unix://{0}?x=1\" must not have a query")]
    [InlineData("unix://{0}#f", "workloadapi: the unix endpoint address \"unix://{0}#f\" must not have a fragment")]
    public async Task EP_4_RejectsUnixAddressWithAuthorityOrExtraComponents(string template, string message)
    {
        // The path points at the working socket: a lenient client would connect.
        string socketPath = Server.Address["unix://".Length..];
        string address = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, socketPath);

        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => X509Source.CreateAsync(FastOptions(address)));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, socketPath), error.Message);
        Assert.Empty(Api.Calls);
    }

    [Fact]
    public async Task EP_4_RejectsTcpAddressWithPath()
    {
        await using var tcp = await WorkloadApiServer.StartTcpAsync();
        string address = tcp.Address + "/foo";

        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => X509Source.CreateAsync(FastOptions(address)));

        Assert.Equal($"workloadapi: the tcp endpoint address \"{address}\" must not have a path", error.Message);
        Assert.Empty(tcp.Api.Calls);
    }

    [Fact]
    public async Task EP_5_RetriesWithBackoffAfterUnavailable() =>
        await RetriesWithBackoff(StatusCode.Unavailable);

    [Fact]
    public async Task EP_6_RetriesWithBackoffAfterPermissionDenied() =>
        await RetriesWithBackoff(StatusCode.PermissionDenied);

    [Fact]
    public async Task EP_7_DoesNotRetryAfterInvalidArgument()
    {
        Api.FailEverything = new Status(StatusCode.InvalidArgument, "security header missing from request");

        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => X509Source.CreateAsync(FastOptions()));

        // CreateAsync fails only once the watch has ended, so no later call can come.
        Assert.Equal("workloadapi: FetchX509SVID failed: InvalidArgument: security header missing from request", error.Message);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Single(Api.Calls);

        using var client = new WorkloadApiClient(FastOptions());
        var watch = client.WatchJwtBundlesAsync(_ => { }, _ => { }, CancellationToken.None);
        var watchError = await Assert.ThrowsAsync<WorkloadApiException>(() => watch);
        Assert.Equal(StatusCode.InvalidArgument, watchError.StatusCode);
        Assert.Single(Api.CallsTo("FetchJWTBundles"));
    }

    [Fact]
    public async Task EP_8_RetriesUntilEndpointIsReachable()
    {
        string socketPath = WorkloadApiServer.NewSocketPath();
        var options = FastOptions("unix://" + socketPath);
        var creating = X509Source.CreateAsync(options);

        await Task.Delay(300);
        var api = new FakeWorkloadApi();
        api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/late")]);
        await using var server = await WorkloadApiServer.StartUnixAsync(api, socketPath);

        await using var source = await creating.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("spiffe://example.org/late", source.GetX509Svid().Id.ToString());
    }

    private async Task RetriesWithBackoff(StatusCode code)
    {
        Api.SetX509(CaBundle, [Ca.Issue("spiffe://example.org/a")]);
        Api.FailNextX509Calls(3, new Status(code, "not yet"));

        await using var source = await X509Source.CreateAsync(FastOptions());

        var calls = Api.CallsTo("FetchX509SVID").ToList();
        Assert.Equal(4, calls.Count);
        // Backoff 50, 100, 200 ms: each gap is at least the (slightly trimmed) wait, never a tight loop.
        double[] minimumGaps = [40, 90, 190];
        for (int i = 1; i < calls.Count; i++)
        {
            Assert.True(
                (calls[i].At - calls[i - 1].At).TotalMilliseconds >= minimumGaps[i - 1],
                $"gap {i} was {(calls[i].At - calls[i - 1].At).TotalMilliseconds} ms");
        }

        Assert.Equal("spiffe://example.org/a", source.GetX509Svid().Id.ToString());
    }

    internal static string Mint(SpiffeId id, string[] audience, JwtSigningKey signer) =>
        JwtSvid.Mint(id, audience, DateTimeOffset.UtcNow.AddMinutes(5), signer, TimeProvider.System).Token;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "SPIFFE_ENDPOINT_SOCKET";
}
