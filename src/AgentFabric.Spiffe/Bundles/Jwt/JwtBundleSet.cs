using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>
/// JWT bundles keyed by trust domain, for federation: a token is verified only with the bundle of its subject's trust
/// domain (Workload API §4.6). Bundles are never merged across trust domains. Thread-safe.
/// </summary>
public sealed class JwtBundleSet : IJwtBundleSource
{
    private readonly Lock _gate = new();
    private Dictionary<TrustDomain, JwtBundle> _bundles = [];

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public JwtBundleSet(params IEnumerable<JwtBundle> bundles)
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
    public IReadOnlyList<JwtBundle> Bundles =>
        [.. Volatile.Read(ref _bundles).Values.OrderBy(b => b.TrustDomain.Name, StringComparer.Ordinal)];

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(JwtBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        lock (_gate)
        {
            var next = new Dictionary<TrustDomain, JwtBundle>(_bundles) { [bundle.TrustDomain] = bundle };
            Volatile.Write(ref _bundles, next);
        }
    }

    /// <summary>Replaces every bundle at once (a Workload API update is the complete state: WA §4.4).</summary>
    public void Set(IEnumerable<JwtBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var next = new Dictionary<TrustDomain, JwtBundle>();
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

            var next = new Dictionary<TrustDomain, JwtBundle>(_bundles);
            next.Remove(trustDomain);
            Volatile.Write(ref _bundles, next);
            return true;
        }
    }

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => Volatile.Read(ref _bundles).ContainsKey(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle) =>
        Volatile.Read(ref _bundles).TryGetValue(trustDomain, out bundle);

    /// <summary>The bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">The set has no bundle for the trust domain.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle
            : throw new JwtBundleException(JwtBundle.NoBundleMessage(trustDomain));
}
