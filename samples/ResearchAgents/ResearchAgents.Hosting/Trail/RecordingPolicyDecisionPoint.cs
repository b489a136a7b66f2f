using AgentFabric.Authorization;
using AgentFabric.Rego.Values;
using Microsoft.AspNetCore.Http;

namespace ResearchAgents.Hosting.Trail;

/// <summary>Wraps the registered policy decision point and records each decision on the current request
/// (<see cref="RecordedDecision"/>): the SDK's Rego requirement decides, and the endpoint reports that decision's id
/// and latency in the trail without asking the policy twice.</summary>
internal sealed class RecordingPolicyDecisionPoint(IPolicyDecisionPoint inner, IHttpContextAccessor accessor) : IPolicyDecisionPoint
{
    public async Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default)
    {
        var decision = await inner.DecideAsync(path, input, cancellationToken).ConfigureAwait(false);
        if (accessor.HttpContext is { } http)
        {
            RecordedDecision.Set(http, decision);
        }

        return decision;
    }
}
