using System.Diagnostics;
using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>
/// OpenTelemetry-friendly tags on the current <see cref="Activity"/> (the ASP.NET Core request activity, or the
/// HttpClient activity of an outgoing call), and the SDK's own <see cref="ActivitySource"/> for token exchanges.
/// Subscribe with <c>AddSource("AgentFabric.AspNetCore")</c>.
/// </summary>
public static class SpiffeActivityTags
{
    /// <summary>The SDK's activity source name.</summary>
    public const string SourceName = "AgentFabric.AspNetCore";

    /// <summary>The calling workload's SPIFFE ID.</summary>
    public const string Caller = "agentfabric.caller";

    /// <summary>The called workload's SPIFFE ID.</summary>
    public const string Callee = "agentfabric.callee";

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public const string Decision = "agentfabric.decision";

    /// <summary>The policy decision's id (as in the decision log).</summary>
    public const string DecisionId = "agentfabric.decision_id";

    /// <summary>The user an exchanged token speaks for.</summary>
    public const string User = "enduser.id";

    internal static readonly ActivitySource Source = new(SourceName);

    internal static void SetCaller(Activity? activity, SpiffeId caller) => activity?.SetTag(Caller, caller.ToString());

    internal static void SetCallee(Activity? activity, SpiffeId callee) => activity?.SetTag(Callee, callee.ToString());

    internal static void SetDecision(Activity? activity, bool allowed, string? decisionId)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Decision, allowed ? "allow" : "deny");
        if (decisionId is not null)
        {
            activity.SetTag(DecisionId, decisionId);
        }
    }
}
