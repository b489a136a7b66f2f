using System.Collections.Concurrent;
using System.Diagnostics;
using AgentFabric.AspNetCore.Tests;
using AgentFabric.Authorization;
using AgentFabric.Rego.Values;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResearchAgents.Hosting;

namespace ResearchAgents.Tests;

/// <summary>The agents' warm-up query at start: each sample rule once with an empty input; a policy server that is
/// down or silent is logged and never stops the start.</summary>
public sealed class PolicyWarmUpTests
{
    [Fact]
    public async Task AsksEachRuleOnce_WithAnEmptyInput()
    {
        var pdp = new RecordingPdp();
        using var logs = new CapturedLogs();
        await Warmup(pdp, logs).StartAsync(CancellationToken.None);
        Assert.Equal([(ResearchPolicy.Allow, "{}"), (ResearchPolicy.Ask, "{}")], pdp.Asked.ToArray());
        Assert.Empty(logs.Messages(1));
    }

    [Fact]
    public async Task UnreachablePolicyServer_IsLogged_AndTheStartGoesOn()
    {
        var services = new ServiceCollection();
        services.AddPolicyDecisionPoint(o =>
        {
            o.Mode = PolicyDecisionPointMode.Remote;
            o.RemoteAddress = new Uri($"http://127.0.0.1:{AgentFabric.Testing.LoopbackPorts.Next()}/");
        });
        using var provider = services.BuildServiceProvider();
        using var logs = new CapturedLogs();
        await Warmup(provider.GetRequiredService<IPolicyDecisionPoint>(), logs).StartAsync(CancellationToken.None);
        var warning = Assert.Single(logs.Messages(1));
        Assert.StartsWith($"the policy decision point did not answer the warm-up query for {ResearchPolicy.Allow}: pdp: http://127.0.0.1:", warning, StringComparison.Ordinal);
        Assert.Contains(" unreachable: ", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SilentPolicyServer_StopsWaitingAtTheTimeout()
    {
        using var logs = new CapturedLogs();
        var watch = Stopwatch.StartNew();
        await Warmup(new SilentPdp(), logs, TimeSpan.FromMilliseconds(200)).StartAsync(CancellationToken.None);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
        Assert.StartsWith($"the policy decision point did not answer the warm-up query for {ResearchPolicy.Allow}: ", Assert.Single(logs.Messages(1)), StringComparison.Ordinal);
    }

    private static PolicyWarmUp Warmup(IPolicyDecisionPoint pdp, CapturedLogs logs, TimeSpan? timeout = null)
    {
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        return new PolicyWarmUp(pdp, factory.CreateLogger<PolicyWarmUp>(), timeout);
    }

    private sealed class RecordingPdp : IPolicyDecisionPoint
    {
        public ConcurrentQueue<(string Path, string Input)> Asked { get; } = new();

        public Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
        {
            Asked.Enqueue((path.ToString(), input.ToJson()));
            return Task.FromResult(new PolicyDecision(path, BooleanValue.False, "d-1", TimeSpan.Zero));
        }
    }

    private sealed class SilentPdp : IPolicyDecisionPoint
    {
        public async Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }
}
