namespace AgentFabric.AspNetCore;

/// <summary>The SPIFFE scheme's events: each a <c>Func</c> to set and a virtual method to override.</summary>
public class SpiffeAuthenticationEvents
{
    /// <summary>After the caller (and its exchanged token, if any) verified; may replace the principal or fail.</summary>
    public Func<SpiffeAuthenticatedContext, Task> OnAuthenticated { get; set; } = _ => Task.CompletedTask;

    /// <summary>When authentication failed (an invalid or missing token); may handle the response.</summary>
    public Func<SpiffeAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnAuthenticated"/>.</summary>
    public virtual Task Authenticated(SpiffeAuthenticatedContext context) => OnAuthenticated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(SpiffeAuthenticationFailedContext context) => OnAuthenticationFailed(context);
}
