using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.AspNetCore;

/// <summary>The context of <see cref="SpiffeAuthenticationEvents.OnAuthenticationFailed"/>.</summary>
public sealed class SpiffeAuthenticationFailedContext : ResultContext<SpiffeAuthenticationOptions>
{
    internal SpiffeAuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, SpiffeAuthenticationOptions options, string error)
        : base(context, scheme, options)
    {
        Error = error;
    }

    /// <summary>Why authentication failed (safe to return: never contains the token).</summary>
    public string Error { get; }
}
