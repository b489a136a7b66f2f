namespace AgentFabric.Spiffe.Tls;

/// <summary>An authorizer's decision about a verified peer: allowed, or denied with a reason.</summary>
public sealed class SpiffeAuthorizationResult
{
    private SpiffeAuthorizationResult(string? reason) => Reason = reason;

    /// <summary>The peer may proceed.</summary>
    public static SpiffeAuthorizationResult Allowed { get; } = new(null);

    /// <summary>True when the peer is authorized.</summary>
    public bool IsAllowed => Reason is null;

    /// <summary>Why the peer was denied; null when allowed.</summary>
    public string? Reason { get; }

    /// <summary>A denial with a specific reason, e.g. <c>unexpected ID "spiffe://example.org/db"</c>.</summary>
    public static SpiffeAuthorizationResult Denied(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new SpiffeAuthorizationResult(reason);
    }
}
