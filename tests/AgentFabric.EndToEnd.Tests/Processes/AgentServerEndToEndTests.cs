using System.Diagnostics;
using System.Globalization;
using System.Net;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using Xunit.Abstractions;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>Server and agent as real processes; the test process is the workload.</summary>
[Collection(FabricProcesses.Collection)]
public sealed class AgentServerEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FabricProcesses _fabric = new();

    public Task InitializeAsync() => _fabric.InitializeAsync();

    public Task DisposeAsync() => _fabric.DisposeAsync();

    private string Uid => SelfProcess.Uid.ToString(CultureInfo.InvariantCulture);

    private WorkloadApiClient Client() => new(new WorkloadApiClientOptions
    {
        Address = "unix://" + _fabric.AgentSocket,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
    });

    [Fact]
    public async Task UnmatchedWorkload_IsDenied_ThenEntryCreate_ReachesTheOpenStreamWithinOneSecond()
    {
        using var client = Client();
        var denied = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync());
        Assert.Contains("PermissionDenied: no identity issued (selectors: ", denied.Message, StringComparison.Ordinal);
        Assert.Contains($"unix:uid:{Uid}", denied.Message, StringComparison.Ordinal);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new TaskCompletionSource<(X509Context Context, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = client.WatchX509ContextAsync(c => received.TrySetResult((c, Stopwatch.GetTimestamp())), _ => { }, cts.Token);

        var commandStarted = Stopwatch.GetTimestamp();
        await _fabric.AdminAsync("entry", "create", "-parentID", FabricProcesses.NodeId, "-spiffeID", "spiffe://example.org/e2e/workload", "-selector", $"unix:uid:{Uid}");
        var commandDone = Stopwatch.GetTimestamp();
        var (context, at) = await received.Task.WaitAsync(cts.Token);
        var afterCommand = Stopwatch.GetElapsedTime(commandDone, at);
        var sinceLaunch = Stopwatch.GetElapsedTime(commandStarted, at);
        // The push can arrive before the CLI process has even exited, so the figure is taken from the command's launch.
        output.WriteLine($"propagation: {sinceLaunch.TotalMilliseconds:F0} ms from launching `agentfabric entry create` to the stream update ({afterCommand.TotalMilliseconds:F0} ms after the command exited)");
        // The goal is 1 s (typically met before the CLI has exited); the bound is generous because CI shares 2 cores
        // with parallel test processes, where a scheduling stall alone can take a second.
        Assert.True(afterCommand < TimeSpan.FromSeconds(3), $"propagation took {afterCommand.TotalMilliseconds:F0} ms after the command returned");
        Assert.True(sinceLaunch < TimeSpan.FromSeconds(5), $"propagation took {sinceLaunch.TotalMilliseconds:F0} ms from the command's launch");

        var svid = context.DefaultSvid;
        Assert.Equal("spiffe://example.org/e2e/workload", svid.Id.ToString());
        var bundle = X509Bundle.Load(TrustDomain.Parse("example.org"), Path.Combine(_fabric.Dir, "bundle.pem"));
        Assert.Equal(svid.Id, X509SvidVerifier.Verify(svid.Certificates, bundle, TimeProvider.System).Id);
        Assert.True(context.Bundles.GetX509BundleForTrustDomain(bundle.TrustDomain).ContentEquals(bundle));

        // JWT-SVID minted by the server through the agent, validated by the agent against the server's JWT keys.
        var jwt = await client.FetchJwtSvidAsync("e2e-audience");
        Assert.Equal("spiffe://example.org/e2e/workload", jwt.Id.ToString());
        Assert.Equal(jwt.Id, (await client.ValidateJwtSvidAsync(jwt.Token, "e2e-audience")).Id);

        var metrics = (await _fabric.HealthAsync("metrics")).Body;
        Assert.Contains("agentfabric_agent_workload_streams 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_agent_x509_svids_issued_total 1\n", metrics, StringComparison.Ordinal);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
    }

    [Fact]
    public async Task ServerOutage_CachedSvidsAreServed_AndRotationResumesAfterRestart()
    {
        await _fabric.AdminAsync("entry", "create", "-parentID", FabricProcesses.NodeId, "-spiffeID", "spiffe://example.org/e2e/rotating", "-selector", $"unix:uid:{Uid}", "-x509SVIDTTL", "20");
        using var client = Client();
        await using var stream = new StreamRecorder(client);
        var (first, _) = await stream.NextSvidAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(first.Leaf.SerialNumber, (await client.FetchX509ContextAsync()).DefaultSvid.Leaf.SerialNumber);

        // The server signed it at notBefore + 10 s (backdating); with the server up it would be replaced before
        // half of its 20 s TTL.
        var issued = new DateTimeOffset(first.Leaf.NotBefore.ToUniversalTime()) + TimeSpan.FromSeconds(10);
        var halfLife = issued + ((first.NotAfter - issued) / 2);

        await _fabric.KillServerAsync();
        var cached = (await client.FetchX509ContextAsync()).DefaultSvid;
        Assert.Equal(first.Leaf.SerialNumber, cached.Leaf.SerialNumber);
        await FabricProcesses.WaitAsync(async () => (await _fabric.HealthAsync("ready")).Status == HttpStatusCode.ServiceUnavailable, "agent not ready while the server is down");
        Assert.Equal(HttpStatusCode.OK, (await _fabric.HealthAsync("live")).Status);

        // Past the half life the agent tries to rotate, fails, and keeps serving the SVID it has (still valid).
        var untilPastHalfLife = halfLife - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        Assert.True(untilPastHalfLife > TimeSpan.Zero && untilPastHalfLife < TimeSpan.FromSeconds(11), $"half life in {untilPastHalfLife}");
        await Task.Delay(untilPastHalfLife);
        Assert.Equal(first.Leaf.SerialNumber, (await client.FetchX509ContextAsync()).DefaultSvid.Leaf.SerialNumber);
        Assert.Contains("agentfabric_agent_svids_rotated_total 0\n", (await _fabric.HealthAsync("metrics")).Body, StringComparison.Ordinal);

        var restart = DateTimeOffset.UtcNow;
        await _fabric.StartServerAsync();
        (X509Svid Svid, DateTimeOffset At) rotated;
        try
        {
            // The open stream gets the replacement once the agent reconnects (backoff up to 5 s).
            rotated = await stream.NextSvidAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            output.WriteLine(_fabric.AgentLog);
        }

        output.WriteLine($"outage: new SVID on the stream {(rotated.At - restart).TotalMilliseconds:F0} ms after the server restart began, {(rotated.At - issued).TotalSeconds:F1} s after the old one was issued");
        Assert.NotEqual(first.Leaf.SerialNumber, rotated.Svid.Leaf.SerialNumber);
        Assert.True(rotated.Svid.NotAfter > first.NotAfter);
        Assert.Equal(rotated.Svid.Leaf.SerialNumber, (await client.FetchX509ContextAsync()).DefaultSvid.Leaf.SerialNumber);

        await FabricProcesses.WaitAsync(async () => (await _fabric.HealthAsync("ready")).Status == HttpStatusCode.OK, "agent ready again");
        var (code, healthy, _) = await FabricProcesses.RunCliAsync("agent", "healthcheck", "-port", _fabric.AgentHealthPort.ToString(CultureInfo.InvariantCulture));
        Assert.Equal((0, "Agent is healthy.\n"), (code, healthy));
    }

    [Fact]
    public async Task RestartedAgent_ResumesWithItsStoredSvid_ButASpentTokenAloneIsRefusedClearly()
    {
        await _fabric.RestartAgentAsync();
        Assert.Contains("Resuming with the stored node SVID spiffe://example.org/spire/agent/join_token/", _fabric.AgentLog, StringComparison.Ordinal);

        // The same token with an empty data dir: the server refuses it, and the agent says a new one is needed.
        var config = File.ReadAllText(Path.Combine(_fabric.Dir, "agent.json"))
            .Replace(Path.Combine(_fabric.Dir, "adata"), Path.Combine(_fabric.Dir, "fresh"), StringComparison.Ordinal)
            .Replace(_fabric.AgentSocket, Path.Combine(_fabric.Dir, "agent2", "api.sock"), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_fabric.Dir, "agent2.json"), config);
        var (code, _, error) = await FabricProcesses.RunCliAsync("agent", "run", "-config", Path.Combine(_fabric.Dir, "agent2.json"));
        Assert.Equal(1, code);
        Assert.Equal(
            "Error: agent: the server refused the join token (attestation: join token does not exist or has already been used); a join token works once: generate a new one with `agentfabric token generate`\n",
            error);
    }
}
