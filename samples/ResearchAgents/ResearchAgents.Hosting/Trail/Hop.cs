using System.Text.Json.Serialization;

namespace ResearchAgents.Hosting.Trail;

/// <summary>
/// One hop of a research request as the agent that decided it saw it: who called whom, for which user, through which
/// delegation chain (the exchanged token's <c>act</c> claims, nearest actor first), and the policy's decision with its
/// id (to find it in the decision log) and how long the decision took.
/// </summary>
/// <param name="Caller">The caller's SPIFFE ID (or <c>browser</c> for the person's own request).</param>
/// <param name="Callee">The SPIFFE ID of the agent that decided.</param>
/// <param name="User">The user the call was made for; null when the call carried no user token.</param>
/// <param name="Delegation">The delegation chain, nearest actor first; empty without a user token.</param>
/// <param name="Decision"><c>allow</c> or <c>deny</c>.</param>
/// <param name="DecisionId">The policy decision's id; null when no decision was made (e.g. the callee was not reached).</param>
/// <param name="PolicyLatencyMs">The decision's evaluation time in milliseconds, as the deciding agent measured it.</param>
/// <param name="Status">The HTTP status the callee answered.</param>
/// <param name="Detail">Why a hop was denied or failed, in words; null when allowed.</param>
public sealed record Hop(
    [property: JsonPropertyName("caller")] string Caller,
    [property: JsonPropertyName("callee")] string Callee,
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("delegation")] IReadOnlyList<string> Delegation,
    [property: JsonPropertyName("decision")] string Decision,
    [property: JsonPropertyName("decision_id")] string? DecisionId,
    [property: JsonPropertyName("policy_latency_ms")] double? PolicyLatencyMs,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string? Detail = null)
{
    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>The caller of the person's own request to the frontend.</summary>
    public const string Browser = "browser";
}
