using System.Security.Cryptography.X509Certificates;

namespace AgentFabric.Edge.Exchange;

/// <summary>The form parameters of a token-exchange request (RFC 8693 §2.1) and its client authentication: a
/// JWT-SVID assertion, or the certificate chain the client presented over mutual TLS (RFC 8705 §2, leaf first).</summary>
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
    string? Scope,
    IReadOnlyList<X509Certificate2>? ClientCertificates = null);
