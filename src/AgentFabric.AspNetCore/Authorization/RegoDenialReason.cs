using Microsoft.AspNetCore.Authorization;

namespace AgentFabric.AspNetCore;

/// <summary>A Rego requirement's denial: the decision id that names it in the decision log (null when no decision
/// could be made), never the policy's internals.</summary>
public sealed class RegoDenialReason(IAuthorizationHandler handler, string? decisionId, string message)
    : AuthorizationFailureReason(handler, message)
{
    /// <summary>The decision id, or null when the PDP could not decide.</summary>
    public string? DecisionId { get; } = decisionId;
}
