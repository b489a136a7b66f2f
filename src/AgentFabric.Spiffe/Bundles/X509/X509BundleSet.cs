using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe.Bundles.X509;

/// <summary>
/// X.509 bundles keyed by trust domain, for federation (Bundle §3: a validator picks the bundle
/// of the SVID's own trust domain). Bundles are never merged across trust domains. Thread-safe.
/// </summary>
public sealed class X509BundleSet : IX509BundleSource
{
    private readonly TrustDomainMap<X509Bundle> _map = new(b => b.TrustDomain);

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public X509BundleSet(params IEnumerable<X509Bundle> bundles)
    {
        _map.AddRange(bundles);
    }

    /// <summary>How many trust domains have a bundle.</summary>
    public int Count => _map.Count;

    /// <summary>A snapshot of the bundles, ordered by trust domain name.</summary>
    public IReadOnlyList<X509Bundle> Bundles => _map.Snapshot;

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(X509Bundle bundle) => _map.Add(bundle);

    /// <summary>Removes the bundle of <paramref name="trustDomain"/>; returns false when there was none.</summary>
    public bool Remove(TrustDomain trustDomain) => _map.Remove(trustDomain);

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => _map.Contains(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle) =>
        _map.TryGet(trustDomain, out bundle);

    /// <summary>The bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="X509BundleException">The set has no bundle for the trust domain.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle
            : throw new X509BundleException(X509Bundle.NoBundleMessage(trustDomain));
}
