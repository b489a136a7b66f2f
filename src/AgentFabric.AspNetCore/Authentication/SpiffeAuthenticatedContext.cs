using System.Security.Claims;
using AgentFabric.Spiffe;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.AspNetCore;

/// <summary>The context of <see cref="SpiffeAuthenticationEvents.OnAuthenticated"/>.</summary>
public sealed class SpiffeAuthenticatedContext : ResultContext<SpiffeAuthenticationOptions>
{
    internal SpiffeAuthenticatedContext(HttpContext context, AuthenticationScheme scheme, SpiffeAuthenticationOptions options, SpiffeId caller, ExchangedToken? token, ClaimsPrincipal principal)
        : base(context, scheme, options)
    {
        Caller = caller;
        Token = token;
        Principal = principal;
    }

    /// <summary>The verified mTLS peer.</summary>
    public SpiffeId Caller { get; }

    /// <summary>The verified exchanged token, or null.</summary>
    public ExchangedToken? Token { get; }
}
