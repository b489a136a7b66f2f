using AgentFabric.Authorization;
using Microsoft.AspNetCore.Http;

namespace ResearchAgents.Hosting.Trail;

/// <summary>The policy decision made for the current request, kept on the <see cref="HttpContext"/> by
/// <see cref="RecordingPolicyDecisionPoint"/> so the endpoint can put it in its hop.</summary>
public static class RecordedDecision
{
    private static readonly object Key = new();

    /// <summary>The last decision made for <paramref name="http"/>, or null.</summary>
    public static PolicyDecision? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items.TryGetValue(Key, out var value) ? value as PolicyDecision : null;
    }

    internal static void Set(HttpContext http, PolicyDecision decision) => http.Items[Key] = decision;
}
