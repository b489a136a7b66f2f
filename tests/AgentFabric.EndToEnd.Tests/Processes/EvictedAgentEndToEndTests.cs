using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>Issue 13: an evicted agent says so, and a restart with a fresh join token uses it (it used to retry its
/// stored, evicted SVID forever).</summary>
[Collection(FabricProcesses.Collection)]
public sealed partial class EvictedAgentEndToEndTests : IAsyncLifetime
{
    private readonly FabricProcesses _fabric = new();

    public Task InitializeAsync() => _fabric.InitializeAsync();

    public Task DisposeAsync() => _fabric.DisposeAsync();

    [Fact]
    public async Task EvictedAgent_SaysSoInLogAndReadiness_ThenAFreshJoinTokenOnRestartIsUsed()
    {
        var evicted = AgentId().Match(_fabric.AgentLog).Value;
        Assert.StartsWith("spiffe://example.org/spire/agent/join_token/", evicted, StringComparison.Ordinal);

        await _fabric.AdminAsync("agent", "evict", "-spiffeID", evicted);
        await FabricProcesses.WaitAsync(async () => (await _fabric.HealthAsync("ready")).Status == HttpStatusCode.ServiceUnavailable, "agent not ready after eviction");
        var (_, body) = await _fabric.HealthAsync("ready");
        Assert.Equal(
            $"not synced with the server: node {evicted} was evicted or banned by the server (attestation: node \"{evicted}\" was evicted or banned); restart the agent with a fresh join token (agent run -joinToken)\n",
            body);
        // The agent's output is read asynchronously: its log line may land just after readiness changes.
        var refused = $"The server refused node {evicted}: it was evicted or banned";
        await FabricProcesses.WaitAsync(() => Task.FromResult(_fabric.AgentLog.Contains(refused, StringComparison.Ordinal)), "the agent's eviction log line");
        Assert.Contains(refused, _fabric.AgentLog, StringComparison.Ordinal);

        var token = JsonDocument.Parse(await _fabric.AdminAsync("token", "generate", "-spiffeID", FabricProcesses.NodeId, "-output", "json")).RootElement.GetProperty("value").GetString()!;
        await _fabric.RestartAgentAsync("-joinToken", token);

        var reattested = $"Node {evicted} was evicted; attested with the join token as spiffe://example.org/spire/agent/join_token/{token}";
        await FabricProcesses.WaitAsync(() => Task.FromResult(_fabric.AgentLog.Contains(reattested, StringComparison.Ordinal)), "the agent's re-attestation log line");
        Assert.Contains(reattested, _fabric.AgentLog, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await _fabric.HealthAsync("ready"));
    }

    [GeneratedRegex("spiffe://example\\.org/spire/agent/join_token/[0-9a-f-]+")]
    private static partial Regex AgentId();
}
