namespace AgentFabric.AspNetCore;

/// <summary>Names used by the SPIFFE authentication scheme.</summary>
public static class SpiffeAuthenticationDefaults
{
    /// <summary>The scheme name.</summary>
    public const string AuthenticationScheme = "Spiffe";

    /// <summary>The authentication type of the identity that holds the user's claims from an exchanged token (the
    /// principal's second identity; the first is the calling workload).</summary>
    public const string ExchangedTokenAuthenticationType = "AgentFabric.ExchangedToken";
}
