using System.Collections.Frozen;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authorization;

namespace AgentFabric.AspNetCore;

/// <summary>The caller's SPIFFE ID must be one of <see cref="Allowed"/> (seed 004's caller allow-lists).</summary>
public sealed class SpiffeIdRequirement : AuthorizationHandler<SpiffeIdRequirement>, IAuthorizationRequirement
{
    /// <summary>A requirement allowing exactly <paramref name="allowed"/>.</summary>
    public SpiffeIdRequirement(IEnumerable<SpiffeId> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        Allowed = allowed.ToFrozenSet();
        if (Allowed.Count == 0 || Allowed.Any(id => id.IsZero))
        {
            throw new ArgumentException("agentfabric: RequireSpiffeId needs at least one non-empty SPIFFE ID", nameof(allowed));
        }
    }

    /// <summary>The allowed callers.</summary>
    public IReadOnlySet<SpiffeId> Allowed { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SpiffeIdRequirement requirement)
    {
        if (SpiffePrincipal.TryGetCaller(context.User, out var caller) && requirement.Allowed.Contains(caller))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "the caller is not an allowed SPIFFE ID"));
        }

        return Task.CompletedTask;
    }
}
