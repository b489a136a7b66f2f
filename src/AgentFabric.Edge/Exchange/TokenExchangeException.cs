namespace AgentFabric.Edge.Exchange;

/// <summary>A refused token exchange, with the RFC 6749 §5.2 / RFC 8693 §2.2.2 error code and HTTP status.</summary>
public sealed class TokenExchangeException(string error, string description, int status = 400) : Exception(description)
{
    public string Error { get; } = error;

    public int Status { get; } = status;

    public static TokenExchangeException InvalidRequest(string description) => new("invalid_request", description);

    /// <summary>RFC 6749 §5.2: client authentication failed; 401 (we accept no Authorization header scheme for it).</summary>
    public static TokenExchangeException InvalidClient(string description) => new("invalid_client", description, 401);

    /// <summary>RFC 6749 §5.2: the grant (here a certificate-bound subject token, RFC 8705 §3) is not the caller's.</summary>
    public static TokenExchangeException InvalidGrant(string description) => new("invalid_grant", description);

    public static TokenExchangeException UnauthorizedClient(string description) => new("unauthorized_client", description);

    public static TokenExchangeException InvalidScope(string description) => new("invalid_scope", description);

    public static TokenExchangeException InvalidTarget(string description) => new("invalid_target", description);
}
