using System.Security.Claims;
using AgentFabric.Spiffe;

namespace AgentFabric.AspNetCore;

/// <summary>Reads what the SPIFFE handler put on a <see cref="ClaimsPrincipal"/>.</summary>
public static class SpiffePrincipal
{
    /// <summary>The calling workload's SPIFFE ID, from the identity the SPIFFE scheme issued.</summary>
    public static bool TryGetCaller(ClaimsPrincipal? principal, out SpiffeId caller)
    {
        caller = default;
        var claim = principal?.Identities
            .Where(i => i.IsAuthenticated && i.AuthenticationType != SpiffeAuthenticationDefaults.ExchangedTokenAuthenticationType)
            .Select(i => i.FindFirst(SpiffeClaimTypes.SpiffeId))
            .FirstOrDefault(c => c is not null);
        return claim is not null && SpiffeId.TryParse(claim.Value, out caller, out _);
    }

    /// <summary>The identity holding the exchanged token's user claims, or null.</summary>
    public static ClaimsIdentity? GetUser(ClaimsPrincipal? principal) =>
        principal?.Identities.FirstOrDefault(i => i.AuthenticationType == SpiffeAuthenticationDefaults.ExchangedTokenAuthenticationType);
}
