using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization;

/// <summary>Answers one policy question: the value of the rule at <paramref name="path"/> for an input document.
/// Implementations fail closed: when no answer can be had they throw a <see cref="PolicyDecisionException"/>, never
/// return an allow.</summary>
public interface IPolicyDecisionPoint
{
    /// <summary>Evaluates the rule at <paramref name="path"/> (OPA's Data API path, e.g.
    /// <c>agentfabric/authz/allow</c>) with <paramref name="input"/>.</summary>
    Task<PolicyDecision> DecideAsync(DecisionPath path, Value input, CancellationToken cancellationToken = default);
}
