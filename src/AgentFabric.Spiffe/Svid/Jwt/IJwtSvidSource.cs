namespace AgentFabric.Spiffe.Svid.Jwt;

/// <summary>
/// Supplies JWT-SVIDs of this workload for an audience (go-spiffe's <c>jwtsvid.Source</c>). The live Workload API
/// source caches them; a static source (tests, fixed deployments) mints or returns one.
/// </summary>
public interface IJwtSvidSource
{
    /// <summary>A JWT-SVID of this workload whose <c>aud</c> contains <paramref name="audience"/>.</summary>
    /// <exception cref="JwtSvidException">No JWT-SVID can be had for the audience.</exception>
    Task<JwtSvid> FetchJwtSvidAsync(string audience, CancellationToken cancellationToken = default);
}
