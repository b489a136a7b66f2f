using System.Text.Json;
using AgentFabric.AspNetCore;
using AgentFabric.Authorization;
using Microsoft.AspNetCore.Http;

namespace ResearchAgents.Hosting.Trail;

/// <summary>Builds the hops of the trail: an agent's own hop from the request it allowed, and a refused call's hop
/// from the callee's RFC 9457 problem details.</summary>
public static class HopBuilder
{
    /// <summary>The hop of the current request at <paramref name="self"/>: the SPIFFE caller, the exchanged token's user
    /// and chain, and the decision the Rego requirement recorded.</summary>
    /// <exception cref="InvalidOperationException">The request has no SPIFFE caller (the endpoint is not protected).</exception>
    public static Hop Allowed(HttpContext http, string self)
    {
        ArgumentNullException.ThrowIfNull(http);
        var caller = http.Features.Get<ISpiffeCallerFeature>()
            ?? throw new InvalidOperationException("trail: the request has no SPIFFE caller; protect the endpoint with RequireRegoDecision");
        var decision = RecordedDecision.Of(http);
        return new Hop(
            caller.Caller.ToString(),
            self,
            caller.Token is { } token ? UserName(token.Claims) : null,
            caller.Token?.Delegation.Select(d => d.ToString()).ToArray() ?? [],
            decision is null || decision.IsAllowed ? Hop.Allow : Hop.Deny,
            decision?.DecisionId,
            decision is null ? null : Milliseconds(decision),
            StatusCodes.Status200OK);
    }

    /// <summary>The person's own request at the frontend, decided by <paramref name="decision"/>.</summary>
    public static Hop Person(string frontend, string user, PolicyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new Hop(
            Hop.Browser,
            frontend,
            user,
            [],
            decision.IsAllowed ? Hop.Allow : Hop.Deny,
            decision.DecisionId,
            Milliseconds(decision),
            decision.IsAllowed ? StatusCodes.Status200OK : StatusCodes.Status403Forbidden,
            decision.IsAllowed ? null : "The policy denied the request.");
    }

    /// <summary>The hop of a call that <paramref name="callee"/> refused with <paramref name="status"/>: the decision id
    /// and detail come from its problem details (<c>decision_id</c>, <c>detail</c>) when the body is one.</summary>
    public static Hop Refused(string caller, string callee, string? user, int status, string? problemJson)
    {
        string? decisionId = null;
        string? detail = null;
        if (!string.IsNullOrEmpty(problemJson))
        {
            try
            {
                using var problem = JsonDocument.Parse(problemJson);
                if (problem.RootElement.ValueKind == JsonValueKind.Object)
                {
                    decisionId = Text(problem.RootElement, "decision_id");
                    detail = Text(problem.RootElement, "detail") ?? Text(problem.RootElement, "title");
                }
            }
            catch (JsonException)
            {
                // Not problem details: the status alone says what happened.
            }
        }

        return new Hop(caller, callee, user, [], Hop.Deny, decisionId, null, status, detail ?? $"HTTP {status}");
    }

    /// <summary>The name to show for a token's user: <c>preferred_username</c>, else <c>name</c>, else <c>sub</c>.</summary>
    public static string? UserName(JsonElement claims) =>
        claims.ValueKind != JsonValueKind.Object
            ? null
            : Text(claims, "preferred_username") ?? Text(claims, "name") ?? Text(claims, "sub");

    private static double Milliseconds(PolicyDecision decision) => Math.Round(decision.EvaluationTime.TotalMilliseconds, 3);

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
}
