using Microsoft.AspNetCore.Authentication;

namespace AgentFabric.AspNetCore;

/// <summary>Settings of the SPIFFE authentication scheme.</summary>
public sealed class SpiffeAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The edge (token exchange STS) whose tokens are accepted: its issuer URL, from which the discovery
    /// document and JWKS are read. Null: a request carrying a bearer token fails (nothing can verify it).</summary>
    public Uri? EdgeIssuer { get; set; }

    /// <summary>Refuse requests without an exchanged user token (by default a workload may call alone).</summary>
    public bool RequireUserToken { get; set; }

    /// <summary>Tolerance for <c>exp</c>/<c>nbf</c> against this host's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the edge's discovery document and keys are re-read at most (an unknown <c>kid</c> asks
    /// sooner, at most every <see cref="MetadataMinimumRefresh"/>).</summary>
    public TimeSpan MetadataRefresh { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The shortest interval between two forced re-reads of the edge's keys.</summary>
    public TimeSpan MetadataMinimumRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Handlers for the scheme's events.</summary>
    public new SpiffeAuthenticationEvents Events
    {
        get => (SpiffeAuthenticationEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with empty events.</summary>
    public SpiffeAuthenticationOptions()
    {
        Events = new SpiffeAuthenticationEvents();
    }
}
