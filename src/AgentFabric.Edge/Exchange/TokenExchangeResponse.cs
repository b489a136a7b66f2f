namespace AgentFabric.Edge.Exchange;

/// <summary>A successful exchange (RFC 8693 §2.2.1); <see cref="Scope"/> is null when it equals the request's.</summary>
public sealed record TokenExchangeResponse(string AccessToken, string IssuedTokenType, string TokenType, long ExpiresIn, string? Scope, string DecisionId);
