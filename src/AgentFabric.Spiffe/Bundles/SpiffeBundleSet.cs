using System.Diagnostics.CodeAnalysis;
using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>
/// SPIFFE bundles keyed by trust domain, for federation (go-spiffe's <c>spiffebundle.Set</c>): a validator picks the
/// bundle of the SVID's own trust domain (Trust Domain and Bundle §3, Workload API §4.6); bundles are never merged.
/// A source of SPIFFE, X.509 and JWT bundles. Thread-safe.
/// </summary>
public sealed partial class SpiffeBundleSet : ISpiffeBundleSource, IX509BundleSource, IJwtBundleSource
{
    private readonly Lock _gate = new();
    private Dictionary<TrustDomain, SpiffeBundle> _bundles = [];

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public SpiffeBundleSet(params IEnumerable<SpiffeBundle> bundles)
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
    public IReadOnlyList<SpiffeBundle> Bundles =>
        [.. Volatile.Read(ref _bundles).Values.OrderBy(b => b.TrustDomain.Name, StringComparer.Ordinal)];

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(SpiffeBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        lock (_gate)
        {
            var next = new Dictionary<TrustDomain, SpiffeBundle>(_bundles) { [bundle.TrustDomain] = bundle };
            Volatile.Write(ref _bundles, next);
        }
    }

    /// <summary>Replaces every bundle at once (a bundle map is the complete state of the world: §5, App. B.1).</summary>
    public void Set(IEnumerable<SpiffeBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var next = new Dictionary<TrustDomain, SpiffeBundle>();
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, nameof(bundles));
            next[bundle.TrustDomain] = bundle;
        }

        lock (_gate)
        {
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

            var next = new Dictionary<TrustDomain, SpiffeBundle>(_bundles);
            next.Remove(trustDomain);
            Volatile.Write(ref _bundles, next);
            return true;
        }
    }

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => Volatile.Read(ref _bundles).ContainsKey(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out SpiffeBundle? bundle) =>
        Volatile.Read(ref _bundles).TryGetValue(trustDomain, out bundle);

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
