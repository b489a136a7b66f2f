using AgentFabric.Authorization;
using AgentFabric.Rego.Values;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ResearchAgents.Hosting;

/// <summary>
/// Asks the policy decision point each of the sample's rules once, with an empty input, before the agent serves: the
/// first decision otherwise pays for the connection and the JIT of the whole decision path (70-200 ms seen in the
/// trail), and the trail shows what a decision costs, not what starting costs. Never fails the start: a policy server
/// that does not answer within 5 s is logged and the agent starts anyway (its requests are then denied, as always
/// without a decision).
/// </summary>
/// <param name="pdp">The decision point the agent decides with.</param>
/// <param name="logger">Where a failed warm-up is said.</param>
/// <param name="timeout">How long the warm-up may take in all (default 5 s).</param>
public sealed partial class PolicyWarmUp(IPolicyDecisionPoint pdp, ILogger<PolicyWarmUp> logger, TimeSpan? timeout = null) : IHostedService
{
    /// <summary>Asks each rule once; returns when done, at the timeout, or at the first failure (logged).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        foreach (var rule in new[] { ResearchPolicy.Allow, ResearchPolicy.Ask })
        {
            try
            {
                await pdp.DecideAsync(DecisionPath.Parse(rule), ObjectValue.Empty, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PolicyDecisionException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                WarmUpFailed(logger, rule, e.Message);
                return;
            }
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "the policy decision point did not answer the warm-up query for {Rule}: {Reason}")]
    private static partial void WarmUpFailed(ILogger logger, string rule, string reason);
}
