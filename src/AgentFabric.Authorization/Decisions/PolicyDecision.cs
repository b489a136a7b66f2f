using AgentFabric.Rego;
using AgentFabric.Rego.Values;

namespace AgentFabric.Authorization;

/// <summary>One decision: the rule's value (null when undefined), the decision id that names it in the decision log,
/// and how long the evaluation took.</summary>
/// <param name="Path">The rule that was evaluated.</param>
/// <param name="Result">The rule's value; null when the rule is undefined for the input (OPA: no <c>result</c> key).</param>
/// <param name="DecisionId">OPA's <c>decision_id</c>.</param>
/// <param name="EvaluationTime">The embedded engine's evaluation time, or the remote call's round trip.</param>
public sealed record PolicyDecision(DecisionPath Path, Value? Result, string DecisionId, TimeSpan EvaluationTime)
{
    /// <summary>Whether the rule had a value.</summary>
    public bool IsDefined => Result is not null;

    /// <summary>Whether the decision allows: the value is <c>true</c>, or an object whose <c>allow</c> (or
    /// <c>allowed</c>, as opa-envoy-plugin names it) is <c>true</c>. Anything else, undefined included, denies.</summary>
    public bool IsAllowed => Result switch
    {
        BooleanValue { Value: true } => true,
        ObjectValue o => o.Get("allow") is BooleanValue { Value: true } || o.Get("allowed") is BooleanValue { Value: true },
        _ => false,
    };
}
