using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentFabric.Spiffe.Bundles;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using Xunit.Abstractions;

namespace AgentFabric.Agent.Tests.Node;

/// <summary>The real server and agent in-process: recovery from an expired node SVID, and bundles pushed.</summary>
public sealed class NodeRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Workload = "spiffe://example.org/recovery/workload";
    private readonly InProcessFabric _fabric = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _fabric.DisposeAsync().AsTask();

    [Fact]
    public async Task NodeSvidExpiresWhileTheServerIsAway_AgentReattestsByItself_CachedSvidsServedThroughout()
    {
        // Node SVIDs live 10 min (+10 s backdate); the workload's 20 min, so it is due for rotation after ~10 min.
        await _fabric.StartAsync(agentTtl: "10m");
        var nodeId = _fabric.Agent.NodeId;
        var firstNodeExpiry = _fabric.Agent.NodeSvidExpiresAt;
        await _fabric.CreateWorkloadEntryAsync(Workload, x509SvidTtlSeconds: 1200);
        using var client = _fabric.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<X509Svid>();
        var watch = client.WatchX509ContextAsync(c => { lock (received) { received.Add(c.DefaultSvid); } }, _ => { }, cts.Token);
        await _fabric.WaitAsync(() => { lock (received) { return received.Count > 0; } }, "the first workload SVID");
        var first = received[0];
        Assert.Equal(Workload, first.Id.ToString());

        // The server goes away; the clock passes the node SVID's expiry (and the workload SVID's half life).
        await _fabric.StopServerAsync();
        _fabric.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(_fabric.Time.GetUtcNow() > firstNodeExpiry);
        await _fabric.WaitAsync(() => _fabric.Agent.LastError?.StartsWith("node re-attestation: ", StringComparison.Ordinal) == true, "a failed re-attestation while the server is away");
        await _fabric.WaitAsync(() => _fabric.Endpoint.LastRotationError is not null, "a failed workload rotation while the server is away");

        // Workloads are still served the cached SVID: valid for another 9 min.
        var during = (await client.FetchX509ContextAsync(cts.Token)).DefaultSvid;
        Assert.Equal(first.Leaf.SerialNumber, during.Leaf.SerialNumber);
        Assert.True(during.NotAfter > _fabric.Time.GetUtcNow());

        // The server comes back: the agent re-attests with its expired SVID, with no restart and no join token
        // (the one it had is spent), and workload rotation resumes.
        await _fabric.StartServerAsync();
        var back = Stopwatch.StartNew();
        await _fabric.WaitAsync(() => _fabric.Agent.NodeSvidExpiresAt > _fabric.Time.GetUtcNow() && _fabric.Agent.Synced, "node re-attestation after the server returned");
        var recovered = back.Elapsed;
        await _fabric.WaitAsync(() => { lock (received) { return received.Any(s => s.Leaf.SerialNumber != first.Leaf.SerialNumber); } }, "a rotated workload SVID");
        var rotated = back.Elapsed;
        output.WriteLine($"recovery: node re-attested {recovered.TotalMilliseconds:F0} ms after the server was back; rotated workload SVID pushed after {rotated.TotalMilliseconds:F0} ms");

        Assert.Equal(nodeId, _fabric.Agent.NodeId);
        Assert.Null(_fabric.Agent.LastError);
        var node = await _fabric.Server!.Runtime.Registration.GetAgentAsync(nodeId.ToString());
        Assert.Equal(("join_token", false), (node.AttestationType, node.Banned));
        X509Svid next;
        lock (received)
        {
            next = received.Last();
        }

        var bundle = new X509Bundle(TrustDomain.Parse("example.org"), _fabric.Server.Runtime.Ca.BundleAuthorities);
        Assert.Equal(Workload, X509SvidVerifier.Verify(next.Certificates, bundle, _fabric.Time).Id.ToString());
        Assert.True(next.NotAfter > during.NotAfter);
        Assert.Contains("re-attested with its node SVID", _fabric.Logs, StringComparison.Ordinal);

        // Every SVID the stream delivered was the first one until the rotated one: nothing was dropped.
        lock (received)
        {
            Assert.All(received.TakeWhile(s => s.Leaf.SerialNumber == first.Leaf.SerialNumber), s => Assert.Equal(first.NotAfter, s.NotAfter));
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }

    [Fact]
    public async Task AgentStartedWithAnExpiredStoredSvid_Reattests_WithoutAJoinToken()
    {
        await _fabric.StartAsync(agentTtl: "10m");
        var nodeId = _fabric.Agent.NodeId;
        await _fabric.StopAgentAsync();
        _fabric.Time.Advance(TimeSpan.FromMinutes(11));

        await _fabric.StartAgentAsync(joinToken: null);
        Assert.Equal(nodeId, _fabric.Agent.NodeId);
        Assert.True(_fabric.Agent.NodeSvidExpiresAt > _fabric.Time.GetUtcNow());
        await _fabric.WaitAsync(() => _fabric.Agent.Synced, "entry sync with the re-attested SVID");
        Assert.Contains("The stored node SVID had expired; re-attested as " + nodeId, _fabric.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReattestationRefused_FallsBackToTheJoinToken()
    {
        await _fabric.StartAsync(agentTtl: "10m");
        var nodeId = _fabric.Agent.NodeId;

        // Evicted while the SVID expires: re-attestation is refused, and the configured token is spent.
        await _fabric.Server!.Runtime.Registration.EvictAgentAsync(nodeId.ToString());
        _fabric.Time.Advance(TimeSpan.FromMinutes(11));
        await _fabric.WaitAsync(() => _fabric.Agent.LastError?.StartsWith("node re-attestation: ", StringComparison.Ordinal) == true, "the refused re-attestation");
        Assert.Equal(
            $"node re-attestation: agent: the server refused re-attestation with the expired node SVID (attestation: \"{nodeId}\" is not an attested node (evicted or never attested)); " +
            "agent: the server refused the join token (attestation: join token does not exist or has already been used); a join token works once: generate a new one with `agentfabric token generate`",
            _fabric.Agent.LastError);

        // With a fresh token the agent attests again, as the node that token names.
        await _fabric.StopAgentAsync();
        var (token, _) = await _fabric.Server.Runtime.Registration.CreateJoinTokenAsync(TimeSpan.FromMinutes(10), null);
        await _fabric.StartAgentAsync(token);
        Assert.Equal($"spiffe://example.org/spire/agent/join_token/{token}", _fabric.Agent.NodeId.ToString());
        await _fabric.WaitAsync(() => _fabric.Agent.Synced, "entry sync after the join token fallback");
    }

    [Fact]
    public async Task FederatedBundleSetOnTheServer_ReachesWorkloadStreamsWithinASecond()
    {
        await _fabric.StartAsync(agentTtl: "1h");
        await _fabric.CreateWorkloadEntryAsync(Workload, x509SvidTtlSeconds: 3600);
        using var client = _fabric.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var bundles = new List<(X509BundleSet Set, long At)>();
        var svids = new List<(X509Context Context, long At)>();
        var bundleWatch = client.WatchX509BundlesAsync(b => { lock (bundles) { bundles.Add((b, Stopwatch.GetTimestamp())); } }, _ => { }, cts.Token);
        var svidWatch = client.WatchX509ContextAsync(c => { lock (svids) { svids.Add((c, Stopwatch.GetTimestamp())); } }, _ => { }, cts.Token);
        await _fabric.WaitAsync(() => { lock (bundles) { lock (svids) { return bundles.Count > 0 && svids.Count > 0; } } }, "both streams' first message");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=partner CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var partnerCa = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var partner = TrustDomain.Parse("partner.com");
        var set = Stopwatch.GetTimestamp();
        await _fabric.Server!.Runtime.Bundles.SetFederatedAsync(SpiffeBundle.FromX509Bundle(new X509Bundle(partner, [partnerCa])));

        await _fabric.WaitAsync(() => { lock (bundles) { return bundles.Any(b => b.Set.TryGet(partner, out _)); } }, "the federated bundle on FetchX509Bundles");
        await _fabric.WaitAsync(() => { lock (svids) { return svids.Any(s => s.Context.Bundles.TryGet(partner, out _)); } }, "the federated bundle on FetchX509SVID");
        TimeSpan bundleLatency, svidLatency;
        lock (bundles)
        {
            var (received, at) = bundles.First(b => b.Set.TryGet(partner, out _));
            Assert.True(received.TryGet(partner, out var got) && got.Authorities.Single().RawData.SequenceEqual(partnerCa.RawData));
            bundleLatency = Stopwatch.GetElapsedTime(set, at);
        }

        lock (svids)
        {
            svidLatency = Stopwatch.GetElapsedTime(set, svids.First(s => s.Context.Bundles.TryGet(partner, out _)).At);
        }

        output.WriteLine($"bundle push: `bundle set` to FetchX509Bundles {bundleLatency.TotalMilliseconds:F1} ms, to FetchX509SVID {svidLatency.TotalMilliseconds:F1} ms");
        Assert.True(bundleLatency < TimeSpan.FromSeconds(1), $"FetchX509Bundles got the bundle after {bundleLatency.TotalMilliseconds:F0} ms");
        Assert.True(svidLatency < TimeSpan.FromSeconds(1), $"FetchX509SVID got the bundle after {svidLatency.TotalMilliseconds:F0} ms");

        // A delete is pushed too.
        await _fabric.Server.Runtime.Bundles.DeleteFederatedAsync("partner.com");
        await _fabric.WaitAsync(() => { lock (bundles) { return !bundles[^1].Set.TryGet(partner, out _); } }, "the deletion on FetchX509Bundles", TimeSpan.FromSeconds(2));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bundleWatch);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => svidWatch);
    }
}
