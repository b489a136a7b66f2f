using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.Jwt;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.AspNetCore;

/// <summary>
/// The identity sources every part of the SDK asks on each use (STYLE rule 2): the workload's X.509-SVID, the X.509
/// bundles its peers are verified against, and its JWT-SVIDs. Static sources (an <see cref="X509Svid"/>, an
/// <see cref="X509BundleSet"/>) and the live Workload API sources are interchangeable here, so rotation is free.
/// </summary>
public sealed class SpiffeSources
{
    private readonly IJwtSvidSource? _jwtSvids;

    /// <summary>Sources for a workload; <paramref name="jwtSvids"/> is needed only for token exchange.</summary>
    public SpiffeSources(IX509SvidSource x509Svids, IX509BundleSource x509Bundles, IJwtSvidSource? jwtSvids = null)
    {
        ArgumentNullException.ThrowIfNull(x509Svids);
        ArgumentNullException.ThrowIfNull(x509Bundles);
        X509Svids = x509Svids;
        X509Bundles = x509Bundles;
        _jwtSvids = jwtSvids;
    }

    /// <summary>The SVID this workload presents.</summary>
    public IX509SvidSource X509Svids { get; }

    /// <summary>The bundles peers are verified against.</summary>
    public IX509BundleSource X509Bundles { get; }

    /// <summary>Whether a JWT-SVID source is configured (token exchange needs one).</summary>
    public bool HasJwtSvids => _jwtSvids is not null;

    /// <summary>The JWT-SVID source.</summary>
    /// <exception cref="InvalidOperationException">None is configured.</exception>
    public IJwtSvidSource JwtSvids => _jwtSvids
        ?? throw new InvalidOperationException("agentfabric: no JWT-SVID source is configured (SpiffeWorkloadOptions.JwtSvidSource)");

    /// <summary>This workload's SPIFFE ID now (from the current X.509-SVID).</summary>
    public SpiffeId CurrentId => X509Svids.GetX509Svid().Id;
}
