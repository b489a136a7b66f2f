namespace AgentFabric.AspNetCore;

/// <summary>Claim types the SPIFFE handler issues.</summary>
public static class SpiffeClaimTypes
{
    /// <summary>The calling workload's SPIFFE ID (the verified mTLS peer); the workload identity's name claim.</summary>
    public const string SpiffeId = "spiffe_id";

    /// <summary>The calling workload's trust domain.</summary>
    public const string TrustDomain = "spiffe_trust_domain";

    /// <summary>One actor of the exchanged token's delegation chain (RFC 8693 §4.1), in order, nearest actor first.</summary>
    public const string Actor = "act_spiffe_id";

    /// <summary>The user (the exchanged token's <c>sub</c>); the user identity's name claim.</summary>
    public const string Subject = "sub";

    /// <summary>One scope of the exchanged token (RFC 8693 §4.2), one claim per scope.</summary>
    public const string Scope = "scope";
}
