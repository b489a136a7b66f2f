namespace AgentFabric.Edge.Exchange;

/// <summary>The form parameters of a token-exchange request (RFC 8693 §2.1) and its client authentication.</summary>
public sealed record TokenExchangeRequest(
    string? ClientId,
    string? ClientAssertionType,
    string? ClientAssertion,
    string? SubjectToken,
    string? SubjectTokenType,
    string? ActorToken,
    string? ActorTokenType,
    string? RequestedTokenType,
    IReadOnlyList<string> Audiences,
    IReadOnlyList<string> Resources,
    string? Scope);
