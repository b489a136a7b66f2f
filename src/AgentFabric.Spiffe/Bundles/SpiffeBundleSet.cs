using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>
/// SPIFFE bundles keyed by trust domain, for federation (go-spiffe's <c>spiffebundle.Set</c>): a validator picks the
/// bundle of the SVID's own trust domain (Bundle §3, Workload API §4.6); bundles are never merged.
/// A source of SPIFFE, X.509 and JWT bundles. Thread-safe.
/// </summary>
public sealed partial class SpiffeBundleSet : ISpiffeBundleSource, IX509BundleSource, IJwtBundleSource
{
    private readonly TrustDomainMap<SpiffeBundle> _map = new(b => b.TrustDomain);

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public SpiffeBundleSet(params IEnumerable<SpiffeBundle> bundles)
    {
        _map.AddRange(bundles);
    }

    /// <summary>How many trust domains have a bundle.</summary>
    public int Count => _map.Count;

    /// <summary>A snapshot of the bundles, ordered by trust domain name.</summary>
    public IReadOnlyList<SpiffeBundle> Bundles => _map.Snapshot;

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(SpiffeBundle bundle) => _map.Add(bundle);

    /// <summary>Replaces every bundle at once (a bundle map is the complete state of the world: §5, App. B.1).</summary>
    public void Set(IEnumerable<SpiffeBundle> bundles) => _map.Set(bundles);

    /// <summary>Removes the bundle of <paramref name="trustDomain"/>; returns false when there was none.</summary>
    public bool Remove(TrustDomain trustDomain) => _map.Remove(trustDomain);

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => _map.Contains(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out SpiffeBundle? bundle) =>
        _map.TryGet(trustDomain, out bundle);

    /// <summary>The bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="SpiffeBundleException">The set has no bundle for the trust domain.</exception>
    public SpiffeBundle GetSpiffeBundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle
            : throw new SpiffeBundleException(SpiffeBundle.NoBundleMessage(trustDomain));

    /// <summary>The X.509 view of the bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="X509BundleException">The set has no bundle for the trust domain.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle.X509Bundle
            : throw new X509BundleException(X509Bundle.NoBundleMessage(trustDomain));

    /// <summary>The JWT view of the bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">The set has no bundle for the trust domain.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle.JwtBundle
            : throw new JwtBundleException(JwtBundle.NoBundleMessage(trustDomain));
}
