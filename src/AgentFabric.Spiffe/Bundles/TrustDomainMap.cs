using System.Diagnostics.CodeAnalysis;

namespace AgentFabric.Spiffe.Bundles;

/// <summary>
/// The state behind every bundle set: one bundle per trust domain, never merged across trust domains (Trust Domain and
/// Bundle §3). Copy-on-write: readers take the current dictionary without a lock, writers swap a new one under it, so
/// a validator never sees a half-applied update.
/// </summary>
internal sealed class TrustDomainMap<TBundle>(Func<TBundle, TrustDomain> trustDomainOf)
    where TBundle : class
{
    private readonly Lock _gate = new();
    private Dictionary<TrustDomain, TBundle> _bundles = [];

    public int Count => Volatile.Read(ref _bundles).Count;

    /// <summary>A snapshot ordered by trust domain name.</summary>
    public IReadOnlyList<TBundle> Snapshot =>
        [.. Volatile.Read(ref _bundles).Values.OrderBy(b => trustDomainOf(b).Name, StringComparer.Ordinal)];

    public void Add(TBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        lock (_gate)
        {
            var next = new Dictionary<TrustDomain, TBundle>(_bundles) { [trustDomainOf(bundle)] = bundle };
            Volatile.Write(ref _bundles, next);
        }
    }

    public void AddRange(IEnumerable<TBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        foreach (var bundle in bundles)
        {
            Add(bundle);
        }
    }

    /// <summary>Replaces every bundle at once; a later bundle replaces an earlier one of the same trust domain.</summary>
    public void Set(IEnumerable<TBundle> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        var next = new Dictionary<TrustDomain, TBundle>();
        foreach (var bundle in bundles)
        {
            ArgumentNullException.ThrowIfNull(bundle, nameof(bundles));
            next[trustDomainOf(bundle)] = bundle;
        }

        lock (_gate)
        {
            Volatile.Write(ref _bundles, next);
        }
    }

    public bool Remove(TrustDomain trustDomain)
    {
        lock (_gate)
        {
            if (!_bundles.ContainsKey(trustDomain))
            {
                return false;
            }

            var next = new Dictionary<TrustDomain, TBundle>(_bundles);
            next.Remove(trustDomain);
            Volatile.Write(ref _bundles, next);
            return true;
        }
    }

    public bool Contains(TrustDomain trustDomain) => Volatile.Read(ref _bundles).ContainsKey(trustDomain);

    public bool TryGet(TrustDomain trustDomain, [NotNullWhen(true)] out TBundle? bundle) =>
        Volatile.Read(ref _bundles).TryGetValue(trustDomain, out bundle);
}
