namespace AgentFabric.Edge.Exchange;

/// <summary>Token type URIs (RFC 8693 §3) and the SPIFFE client assertion type.</summary>
public static class TokenTypes
{
    public const string AccessToken = "urn:ietf:params:oauth:token-type:access_token";
    public const string Jwt = "urn:ietf:params:oauth:token-type:jwt";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>draft-ietf-oauth-spiffe-client-auth §4: a JWT-SVID as the client assertion.</summary>
    public const string JwtSpiffeAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe";
}
