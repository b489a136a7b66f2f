using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>The key OpenIddict signs with (also in the JWKS), shared with the token exchange so resources verify
/// every edge token the same way.</summary>
public sealed class EdgeSigningCredentials(ECDsaSecurityKey key)
{
    public ECDsaSecurityKey Key { get; } = key;

    public SigningCredentials Credentials { get; } = new(key, SecurityAlgorithms.EcdsaSha256);
}
