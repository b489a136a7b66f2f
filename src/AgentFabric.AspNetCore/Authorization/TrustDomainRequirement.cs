using System.Collections.Frozen;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authorization;

namespace AgentFabric.AspNetCore;

/// <summary>The caller must belong to one of <see cref="Allowed"/> (e.g. a federated partner's trust domain).</summary>
public sealed class TrustDomainRequirement : AuthorizationHandler<TrustDomainRequirement>, IAuthorizationRequirement
{
    /// <summary>A requirement allowing the members of <paramref name="allowed"/>.</summary>
    public TrustDomainRequirement(IEnumerable<TrustDomain> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        Allowed = allowed.ToFrozenSet();
        if (Allowed.Count == 0 || Allowed.Any(td => td.IsZero))
        {
            throw new ArgumentException("agentfabric: RequireTrustDomain needs at least one non-empty trust domain", nameof(allowed));
        }
    }

    /// <summary>The allowed trust domains.</summary>
    public IReadOnlySet<TrustDomain> Allowed { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TrustDomainRequirement requirement)
    {
        if (SpiffePrincipal.TryGetCaller(context.User, out var caller) && requirement.Allowed.Contains(caller.TrustDomain))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "the caller is not in an allowed trust domain"));
        }

        return Task.CompletedTask;
    }
}
