using AgentFabric.Authorization;
using AgentFabric.Authorization.Input;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The request must be allowed by the policy at <see cref="Path"/>: the standard input document (caller, user,
/// delegation chain, action, resource, request, time) is built from the <see cref="HttpContext"/> and the configured
/// <see cref="IPolicyDecisionPoint"/> decides. Default deny: undefined, an error or an unreachable PDP all deny.
/// </summary>
public sealed class RegoRequirement : IAuthorizationRequirement
{
    /// <summary>A requirement on the rule at <paramref name="path"/>.</summary>
    /// <param name="path">The rule, e.g. <c>agentfabric/examples/research/allow</c>.</param>
    /// <param name="action">The input's <c>action</c>; null: <c>METHOD /route/pattern</c> of the endpoint.</param>
    /// <param name="resource">The input's <c>resource</c>; null: this workload (<c>{"type": "agent", "id": own SPIFFE ID}</c>).</param>
    /// <param name="headers">Request headers copied into <c>input.request.headers</c> (never Authorization or cookies).</param>
    public RegoRequirement(DecisionPath path, string? action = null, Func<HttpContext, AuthorizationResource>? resource = null, IEnumerable<string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (action is { Length: 0 })
        {
            throw new ArgumentException("agentfabric: the action must not be empty", nameof(action));
        }

        Path = path;
        Action = action;
        Resource = resource;
        Headers = [.. headers ?? []];
        InputHeaders = [.. Headers.Where(IsSafeHeader)];
    }

    /// <summary>The rule asked.</summary>
    public DecisionPath Path { get; }

    /// <summary>The fixed action, or null for the endpoint's method and route.</summary>
    public string? Action { get; }

    /// <summary>Computes the resource, or null for this workload.</summary>
    public Func<HttpContext, AuthorizationResource>? Resource { get; }

    /// <summary>Headers selected into the input.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The selected headers that may reach the input: credentials never do (nor, through it, the decision
    /// log). Empty: the request's headers are not even enumerated.</summary>
    internal string[] InputHeaders { get; }

    private static bool IsSafeHeader(string name) =>
        !name.Equals("authorization", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("cookie", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase);
}
