using AgentFabric.Edge.Keys;
using Microsoft.IdentityModel.Tokens;

namespace AgentFabric.Edge.Exchange;

/// <summary>The key ring OpenIddict signs with (also in the JWKS), shared with the token exchange so resources verify
/// every edge token the same way.</summary>
public sealed class EdgeSigningCredentials(EdgeSigningKeyRing ring)
{
    /// <summary>The key that signs now.</summary>
    public ECDsaSecurityKey Key => ring.Current.Key;

    /// <summary>The credentials of the key that signs now.</summary>
    public SigningCredentials Credentials => ring.Current.Credentials;

    /// <summary>The keys the JWKS publishes now: a token this edge issued verifies with one of them.</summary>
    public IEnumerable<SecurityKey> VerificationKeys => ring.Published.Select(k => k.Key);

    public EdgeSigningKeyRing Ring => ring;
}
