using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.AspNetCore;

/// <summary>Settings of <see cref="SpiffeServiceCollectionExtensions.AddSpiffeWorkload"/>.</summary>
public sealed class SpiffeWorkloadOptions
{
    /// <summary>The SVID source. Null (with the two others null too): the SPIFFE Workload API.</summary>
    public IX509SvidSource? X509SvidSource { get; set; }

    /// <summary>The X.509 bundle source. Null: the Workload API (or the SVID source, when it is also a bundle source).</summary>
    public IX509BundleSource? X509BundleSource { get; set; }

    /// <summary>The JWT-SVID source (token exchange needs it). Null: the Workload API when it supplies the X.509 side.</summary>
    public IJwtSvidSource? JwtSvidSource { get; set; }

    /// <summary>Where the Workload API is (null: <c>SPIFFE_ENDPOINT_SOCKET</c>).</summary>
    public WorkloadApiClientOptions? WorkloadApi { get; set; }

    /// <summary>The edge's issuer URL: exchanged tokens are verified against its JWKS, and SPIFFE HttpClients exchange
    /// tokens at its token endpoint. Null: no user tokens.</summary>
    public Uri? EdgeIssuer { get; set; }

    /// <summary>The health check turns degraded when the SVID has less than this left (rotation is overdue).</summary>
    public TimeSpan SvidExpiryWarning { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Settings of the SPIFFE authentication scheme.</summary>
    public Action<SpiffeAuthenticationOptions>? Authentication { get; set; }

    /// <summary>Uses fixed sources (tests, or a workload with SVIDs on disk): <paramref name="svid"/> is presented,
    /// <paramref name="bundles"/> verifies peers, <paramref name="jwtSvids"/> serves token exchange.</summary>
    public SpiffeWorkloadOptions UseSources(IX509SvidSource svid, IX509BundleSource bundles, IJwtSvidSource? jwtSvids = null)
    {
        ArgumentNullException.ThrowIfNull(svid);
        ArgumentNullException.ThrowIfNull(bundles);
        X509SvidSource = svid;
        X509BundleSource = bundles;
        JwtSvidSource = jwtSvids;
        return this;
    }
}
