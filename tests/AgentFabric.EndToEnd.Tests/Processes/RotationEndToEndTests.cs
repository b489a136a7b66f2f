using System.Globalization;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;
using Xunit.Abstractions;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>Rotation of short-lived SVIDs through real server and agent processes, seen by a workload's stream.</summary>
[Collection(FabricProcesses.Collection)]
public sealed class RotationEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The server backdates notBefore by this much (CertificateTemplates.Backdate), so notBefore + Backdate is when it
    // says it signed the SVID.
    private static readonly TimeSpan ServerBackdate = TimeSpan.FromSeconds(10);

    private readonly FabricProcesses _fabric = new();

    public Task InitializeAsync() => _fabric.InitializeAsync();

    public Task DisposeAsync() => _fabric.DisposeAsync();

    [Fact]
    public async Task TwentySecondSvid_TheStreamGetsEachReplacementBeforeTheOldOnesHalfLife_TwiceInARow()
    {
        string uid = SelfProcess.Uid.ToString(CultureInfo.InvariantCulture);
        await _fabric.AdminAsync("entry", "create", "-parentID", FabricProcesses.NodeId, "-spiffeID", "spiffe://example.org/e2e/short", "-selector", $"unix:uid:{uid}", "-x509SVIDTTL", "20");
        using var client = new WorkloadApiClient(new WorkloadApiClientOptions
        {
            Address = "unix://" + _fabric.AgentSocket,
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(50),
        });
        await using var stream = new StreamRecorder(client);
        var bundle = X509Bundle.Load(TrustDomain.Parse("example.org"), Path.Combine(_fabric.Dir, "bundle.pem"));

        var (old, _) = await stream.NextSvidAsync(TimeSpan.FromSeconds(20));
        for (int rotation = 1; rotation <= 2; rotation++)
        {
            var (next, arrived) = await stream.NextSvidAsync(TimeSpan.FromSeconds(20));

            // The half life: half of the TTL after the server signed the old SVID (not half of
            // notBefore..notAfter, which counts the 10 s backdating as lived time).
            var issued = new DateTimeOffset(old.Leaf.NotBefore.ToUniversalTime()) + ServerBackdate;
            var halfLife = issued + ((old.NotAfter - issued) / 2);
            output.WriteLine(
                $"rotation {rotation}: old SVID issued {issued:HH:mm:ss}, TTL {(old.NotAfter - issued).TotalSeconds:F0} s; " +
                $"new SVID on the stream {(arrived - issued).TotalMilliseconds:F0} ms after issue, " +
                $"{(halfLife - arrived).TotalMilliseconds:F0} ms before the half life");
            Assert.Equal(TimeSpan.FromSeconds(20), old.NotAfter - issued);
            Assert.True(arrived < halfLife, $"rotation {rotation} arrived {(arrived - halfLife).TotalMilliseconds:F0} ms after the half life");
            // ...and not at half of the backdated span (5 s in): at most the lead (2 s) and a check interval early.
            Assert.True(arrived - issued >= TimeSpan.FromSeconds(7), $"rotation {rotation} arrived only {(arrived - issued).TotalMilliseconds:F0} ms after issue");

            Assert.Equal("spiffe://example.org/e2e/short", next.Id.ToString());
            Assert.Equal(next.Id, X509SvidVerifier.Verify(next.Certificates, bundle, TimeProvider.System).Id);
            Assert.True(next.NotAfter > old.NotAfter);
            old = next;
        }

        var metrics = (await _fabric.HealthAsync("metrics")).Body;
        Assert.Contains("agentfabric_agent_svids_rotated_total 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("agentfabric_agent_x509_svids_issued_total 3\n", metrics, StringComparison.Ordinal);
    }
}
