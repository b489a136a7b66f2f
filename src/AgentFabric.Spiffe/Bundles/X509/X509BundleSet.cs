using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe.Bundles.X509;

/// <summary>
/// X.509 bundles keyed by trust domain, for federation (SPIFFE Trust Domain and Bundle §3: a validator picks the bundle
/// of the SVID's own trust domain). Bundles are never merged across trust domains. Thread-safe.
/// </summary>
public sealed class X509BundleSet : IX509BundleSource
{
    private readonly Lock _gate = new();
    private Dictionary<TrustDomain, X509Bundle> _bundles = [];

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public X509BundleSet(params IEnumerable<X509Bundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        foreach (var bundle in bundles)
        {
            Add(bundle);
        }
    }

    /// <summary>How many trust domains have a bundle.</summary>
    public int Count => Volatile.Read(ref _bundles).Count;

    /// <summary>A snapshot of the bundles, ordered by trust domain name.</summary>
    public IReadOnlyList<X509Bundle> Bundles =>
        [.. Volatile.Read(ref _bundles).Values.OrderBy(b => b.TrustDomain.Name, StringComparer.Ordinal)];

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(X509Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        lock (_gate)
        {
            var next = new Dictionary<TrustDomain, X509Bundle>(_bundles) { [bundle.TrustDomain] = bundle };
            Volatile.Write(ref _bundles, next);
        }
    }

    /// <summary>Removes the bundle of <paramref name="trustDomain"/>; returns false when there was none.</summary>
    public bool Remove(TrustDomain trustDomain)
    {
        lock (_gate)
        {
            if (!_bundles.ContainsKey(trustDomain))
            {
                return false;
            }

            var next = new Dictionary<TrustDomain, X509Bundle>(_bundles);
            next.Remove(trustDomain);
            Volatile.Write(ref _bundles, next);
            return true;
        }
    }

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => Volatile.Read(ref _bundles).ContainsKey(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle) =>
        Volatile.Read(ref _bundles).TryGetValue(trustDomain, out bundle);

    /// <summary>The bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="X509BundleException">The set has no bundle for the trust domain.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle
            : throw new X509BundleException(X509Bundle.NoBundleMessage(trustDomain));
}
