using System.Diagnostics;
using System.Net.Sockets;
using AgentFabric.Agent.Identity;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using AgentFabric.Spiffe.WorkloadApi.Proto;
using Grpc.Core;
using Grpc.Net.Client;

namespace AgentFabric.Agent.Tests.WorkloadApi;

public sealed class WorkloadEndpointTests : AgentEndpointTestBase
{
    private static RegistrationEntry SelfEntry(string id, string path = "/workload") =>
        new(id, SpiffeId.Parse("spiffe://example.org" + path), [SelfProcess.UidSelector, SelfProcess.PathSelector]);

    [Fact]
    public async Task FetchX509Svid_IssuesSvidForMatchingEntry_ChainVerifiesAgainstBundle()
    {
        Provider.SetEntries(SelfEntry("e1"));
        using var client = new WorkloadApiClient(ClientOptions());

        var context = await client.FetchX509ContextAsync();

        var svid = Assert.Single(context.Svids);
        Assert.Equal("spiffe://example.org/workload", svid.Id.ToString());
        var verified = X509SvidVerifier.Verify(svid.Certificates, context.Bundles, TimeProvider.System);
        Assert.Equal(svid.Id, verified.Id);
        Assert.Equal(Provider.CaCertificate.Thumbprint, context.Bundles.GetX509BundleForTrustDomain(Provider.TrustDomain).Authorities[0].Thumbprint);
    }

    [Fact]
    public async Task CallerMatchingNoEntry_PermissionDeniedNamingItsSelectors()
    {
        Provider.SetEntries(new RegistrationEntry("other", SpiffeId.Parse("spiffe://example.org/other"), [new Selector("unix", "uid:999999")]));
        using var client = new WorkloadApiClient(ClientOptions());

        var error = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.StartsWith("workloadapi: FetchX509SVID failed: PermissionDenied: no identity issued (selectors: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(SelfProcess.UidSelector.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(SelfProcess.PathSelector.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("unix:sha256:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallWithoutSecurityHeader_InvalidArgument()
    {
        Provider.SetEntries(SelfEntry("e1"));
        using var channel = RawChannel(Endpoint.SocketPath);
        var raw = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel);

        var stream = raw.FetchX509SVID(new X509SVIDRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext(CancellationToken.None));
        var unary = await Assert.ThrowsAsync<RpcException>(() => raw.FetchJWTSVIDAsync(new JWTSVIDRequest { Audience = { "a" } }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("security header missing from request", error.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, unary.StatusCode);
        Assert.Equal(0, Provider.SignedCount);
    }

    [Fact]
    public async Task NewEntry_ReachesOpenStreamWithinOneSecond()
    {
        Provider.SetEntries(SelfEntry("e1"));
        await using var source = await X509Source.CreateAsync(ClientOptions());
        var second = new TaskCompletionSource<TimeSpan>();
        var clock = Stopwatch.StartNew();
        source.Updated += (_, c) =>
        {
            if (c.Svids.Count == 2)
            {
                second.TrySetResult(clock.Elapsed);
            }
        };

        clock.Restart();
        Provider.SetEntries(SelfEntry("e1"), SelfEntry("e2", "/second"));
        var elapsed = await second.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"propagation took {elapsed.TotalMilliseconds} ms");
        Assert.Equal(["spiffe://example.org/workload", "spiffe://example.org/second"], source.Current!.Svids.Select(s => s.Id.ToString()));
    }

    [Fact]
    public async Task RemovedEntry_StreamEndsWithPermissionDenied_SourceStopsServing()
    {
        Provider.SetEntries(SelfEntry("e1"));
        await using var source = await X509Source.CreateAsync(ClientOptions());

        Provider.SetEntries();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Current is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Null(source.Current);
        Assert.Equal(StatusCode.PermissionDenied, source.LastError?.StatusCode);
    }

    [Fact]
    public async Task ShortTtl_StreamReceivesRotatedSvidBeforeHalfLifeTwice()
    {
        var entry = SelfEntry("e1") with { X509SvidTtl = 4 };
        Provider.SetEntries(entry);
        await using var source = await X509Source.CreateAsync(ClientOptions());
        var seen = new List<(X509Svid Svid, DateTimeOffset ReceivedAt)> { (source.GetX509Svid(), DateTimeOffset.UtcNow) };
        var done = new TaskCompletionSource();
        source.Updated += (_, c) =>
        {
            lock (seen)
            {
                seen.Add((c.DefaultSvid, DateTimeOffset.UtcNow));
                if (seen.Count == 3)
                {
                    done.TrySetResult();
                }
            }
        };

        await done.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // Each new SVID arrives while the previous one is still valid (rotation at half of a 4 s lifetime).
        for (int i = 1; i < 3; i++)
        {
            var (previous, _) = seen[i - 1];
            var (current, receivedAt) = seen[i];
            Assert.NotEqual(previous.Leaf.Thumbprint, current.Leaf.Thumbprint);
            Assert.True(receivedAt < previous.NotAfter, $"rotation {i} arrived after the previous SVID expired");
        }

        Assert.True(Provider.SignedCount >= 3, $"signed {Provider.SignedCount}");
    }

    [Fact]
    public async Task ServerOutage_CachedSvidStillServed_RotationResumesAfterwards()
    {
        var entry = SelfEntry("e1") with { X509SvidTtl = 4 };
        Provider.SetEntries(entry);
        using var client = new WorkloadApiClient(ClientOptions());
        var before = await client.FetchX509ContextAsync();

        Provider.Unreachable = true;
        await Task.Delay(TimeSpan.FromMilliseconds(2500)); // past half life: rotation is attempted and fails
        var during = await client.FetchX509ContextAsync();
        var rotationError = Endpoint.LastRotationError;
        Provider.Unreachable = false;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        X509Context after;
        do
        {
            await Task.Delay(100);
            after = await client.FetchX509ContextAsync();
        }
        while (after.DefaultSvid.Leaf.Thumbprint == before.DefaultSvid.Leaf.Thumbprint && DateTime.UtcNow < deadline);

        Assert.Equal(before.DefaultSvid.Leaf.Thumbprint, during.DefaultSvid.Leaf.Thumbprint);
        Assert.NotNull(rotationError);
        Assert.Contains("identity server unreachable", rotationError.InnerException?.Message ?? rotationError.Message, StringComparison.Ordinal);
        Assert.NotEqual(before.DefaultSvid.Leaf.Thumbprint, after.DefaultSvid.Leaf.Thumbprint);
    }

    [Fact]
    public async Task ServerUnreachableBeforeFirstIssue_Unavailable()
    {
        Provider.SetEntries(SelfEntry("e1"));
        Provider.Unreachable = true;
        using var client = new WorkloadApiClient(ClientOptions());

        var x509 = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());
        var jwt = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchJwtSvidAsync("db"));

        Assert.Equal(
            "workloadapi: FetchX509SVID failed: Unavailable: agent: cannot obtain an SVID for spiffe://example.org/workload (entry e1): identity server unreachable",
            x509.Message);
        Assert.Equal(StatusCode.Unavailable, jwt.StatusCode);
    }

    [Fact]
    public async Task JwtProfile_FetchValidateAndBundles()
    {
        Provider.SetEntries(SelfEntry("e1"), SelfEntry("e2", "/second"));
        using var client = new WorkloadApiClient(ClientOptions());

        var all = await client.FetchJwtSvidsAsync("db", ["cache"]);
        var second = await client.FetchJwtSvidAsync("db", subject: SpiffeId.Parse("spiffe://example.org/second"));
        var again = await client.FetchJwtSvidAsync("db", ["cache"]);
        var validated = await client.ValidateJwtSvidAsync(all[0].Token, "cache");
        var bad = await Assert.ThrowsAsync<WorkloadApiException>(() => client.ValidateJwtSvidAsync(all[0].Token, "other"));
        var notMine = await Assert.ThrowsAsync<WorkloadApiException>(
            () => client.FetchJwtSvidAsync("db", subject: SpiffeId.Parse("spiffe://example.org/nope")));
        var bundles = await client.FetchJwtBundlesAsync();

        Assert.Equal(["spiffe://example.org/workload", "spiffe://example.org/second"], all.Select(s => s.Id.ToString()));
        Assert.Equal(["db", "cache"], all[0].Audience);
        Assert.Equal("spiffe://example.org/second", second.Id.ToString());
        Assert.Equal(all[0].Token, again.Token); // served from the agent's cache
        Assert.Equal("spiffe://example.org/workload", validated.Id.ToString());
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.StartsWith("workloadapi: ValidateJWTSVID failed: InvalidArgument: jwtsvid:", bad.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.PermissionDenied, notMine.StatusCode);
        Assert.StartsWith("workloadapi: FetchJWTSVID failed: PermissionDenied: no identity issued for spiffe://example.org/nope (selectors: ", notMine.Message, StringComparison.Ordinal);
        Assert.Equal("jwt-key-1", bundles.GetJwtBundleForTrustDomain(Provider.TrustDomain).JwtAuthorities[0].KeyId);
    }

    [Fact]
    public async Task FederatedBundleChange_PushedToOpenStreams()
    {
        Provider.SetEntries(SelfEntry("e1"));
        await using var source = await X509Source.CreateAsync(ClientOptions());
        using var fedProvider = new LocalCaIdentityProvider("fed.example.org");
        var fed = TrustDomain.Parse("fed.example.org");
        Assert.Throws<Spiffe.Bundles.X509.X509BundleException>(() => source.GetX509BundleForTrustDomain(fed));

        Provider.SetFederatedBundles(fedProvider.Bundle);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Current?.Bundles.Contains(fed) != true && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(fedProvider.CaCertificate.Thumbprint, source.GetX509BundleForTrustDomain(fed).Authorities[0].Thumbprint);

        Provider.SetFederatedBundles();
        deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Current?.Bundles.Contains(fed) != false && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.False(source.Current!.Bundles.Contains(fed));
    }

    [Fact]
    public async Task X509Bundles_StreamedToEntitledCaller()
    {
        Provider.SetEntries(SelfEntry("e1"));
        using var client = new WorkloadApiClient(ClientOptions());

        var bundles = await client.FetchX509BundlesAsync();

        Assert.Equal(Provider.CaCertificate.Thumbprint, Assert.Single(bundles.GetX509BundleForTrustDomain(Provider.TrustDomain).Authorities).Thumbprint);
    }

    private static GrpcChannel RawChannel(string socketPath) =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });
}
