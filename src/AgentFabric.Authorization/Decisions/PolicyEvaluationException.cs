using AgentFabric.Rego;

namespace AgentFabric.Authorization;

/// <summary>The embedded engine failed to evaluate the rule (conflict, strict builtin error, limit, cancellation).</summary>
public sealed class PolicyEvaluationException : PolicyDecisionException
{
    internal PolicyEvaluationException(DecisionPath path, RegoException inner)
        : base($"pdp: evaluating {path.RegoReference}: {inner.Message}", inner)
    {
        Code = inner.Code;
    }

    /// <summary>OPA's error code, e.g. <c>eval_conflict_error</c>.</summary>
    public string Code { get; }
}
