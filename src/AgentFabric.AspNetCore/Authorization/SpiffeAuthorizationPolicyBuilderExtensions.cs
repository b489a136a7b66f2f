using AgentFabric.Authorization;
using AgentFabric.Authorization.Input;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.AspNetCore;

/// <summary>SPIFFE requirements for <see cref="AuthorizationPolicyBuilder"/>; each also requires a caller
/// authenticated by the SPIFFE scheme.</summary>
public static class SpiffeAuthorizationPolicyBuilderExtensions
{
    /// <summary>The caller must be one of <paramref name="allowed"/> (SPIFFE IDs as text).</summary>
    /// <exception cref="SpiffeIdException">An entry is not a SPIFFE ID.</exception>
    public static AuthorizationPolicyBuilder RequireSpiffeId(this AuthorizationPolicyBuilder builder, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return builder.RequireSpiffeId(allowed.Select(SpiffeId.Parse).ToArray());
    }

    /// <summary>The caller must be one of <paramref name="allowed"/>.</summary>
    public static AuthorizationPolicyBuilder RequireSpiffeId(this AuthorizationPolicyBuilder builder, params SpiffeId[] allowed) =>
        Spiffe(builder).AddRequirements(new SpiffeIdRequirement(allowed));

    /// <summary>The caller must belong to one of <paramref name="allowed"/> (trust domain names).</summary>
    /// <exception cref="SpiffeIdException">An entry is not a trust domain name.</exception>
    public static AuthorizationPolicyBuilder RequireTrustDomain(this AuthorizationPolicyBuilder builder, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return Spiffe(builder).AddRequirements(new TrustDomainRequirement(allowed.Select(td => TrustDomain.Parse(td))));
    }

    /// <summary>The policy rule at <paramref name="path"/> must allow the request (see <see cref="RegoRequirement"/>).</summary>
    public static AuthorizationPolicyBuilder RequireRegoDecision(
        this AuthorizationPolicyBuilder builder,
        string path,
        string? action = null,
        Func<HttpContext, AuthorizationResource>? resource = null,
        IEnumerable<string>? headers = null) =>
        Spiffe(builder).AddRequirements(new RegoRequirement(DecisionPath.Parse(path), action, resource, headers));

    private static AuthorizationPolicyBuilder Spiffe(AuthorizationPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.AuthenticationSchemes.Contains(SpiffeAuthenticationDefaults.AuthenticationScheme))
        {
            builder.AddAuthenticationSchemes(SpiffeAuthenticationDefaults.AuthenticationScheme);
        }

        return builder.RequireAuthenticatedUser();
    }
}
