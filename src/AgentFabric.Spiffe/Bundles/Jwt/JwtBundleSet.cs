using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe.Bundles.Jwt;

/// <summary>
/// JWT bundles keyed by trust domain, for federation: a token is verified only with the bundle of its subject's trust
/// domain (Workload API §4.6). Bundles are never merged across trust domains. Thread-safe.
/// </summary>
public sealed class JwtBundleSet : IJwtBundleSource
{
    private readonly TrustDomainMap<JwtBundle> _map = new(b => b.TrustDomain);

    /// <summary>A set holding <paramref name="bundles"/>; a later bundle replaces an earlier one of the same trust
    /// domain.</summary>
    public JwtBundleSet(params IEnumerable<JwtBundle> bundles)
    {
        _map.AddRange(bundles);
    }

    /// <summary>How many trust domains have a bundle.</summary>
    public int Count => _map.Count;

    /// <summary>A snapshot of the bundles, ordered by trust domain name.</summary>
    public IReadOnlyList<JwtBundle> Bundles => _map.Snapshot;

    /// <summary>Adds the bundle, replacing any bundle of the same trust domain.</summary>
    public void Add(JwtBundle bundle) => _map.Add(bundle);

    /// <summary>Replaces every bundle at once (a Workload API update is the complete state: Workload API §4.4).</summary>
    public void Set(IEnumerable<JwtBundle> bundles) => _map.Set(bundles);

    /// <summary>Removes the bundle of <paramref name="trustDomain"/>; returns false when there was none.</summary>
    public bool Remove(TrustDomain trustDomain) => _map.Remove(trustDomain);

    /// <summary>True when the set has a bundle for <paramref name="trustDomain"/>.</summary>
    public bool Contains(TrustDomain trustDomain) => _map.Contains(trustDomain);

    /// <summary>The bundle of <paramref name="trustDomain"/>, if any.</summary>
    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle) =>
        _map.TryGet(trustDomain, out bundle);

    /// <summary>The bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="JwtBundleException">The set has no bundle for the trust domain.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        TryGet(trustDomain, out var bundle)
            ? bundle
            : throw new JwtBundleException(JwtBundle.NoBundleMessage(trustDomain));
}
