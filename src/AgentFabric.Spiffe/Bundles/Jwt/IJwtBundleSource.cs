namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>Supplies the JWT bundle of a trust domain (go-spiffe's <c>jwtbundle.Source</c>).</summary>
public interface IJwtBundleSource
{
    /// <summary>The JWT bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">The source has no bundle for the trust domain.</exception>
    JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain);
}
