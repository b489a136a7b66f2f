using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;

namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>
/// One complete X.509 answer of the Workload API (Workload API §4.3): the workload's SVIDs, default first (Workload API §8), and the X.509
/// bundles of its own and federated trust domains, never merged across trust domains (Workload API §4.6).
/// </summary>
public sealed class X509Context
{
    public X509Context(IReadOnlyList<X509Svid> svids, X509BundleSet bundles)
    {
        ArgumentNullException.ThrowIfNull(svids);
        ArgumentNullException.ThrowIfNull(bundles);
        if (svids.Count == 0)
        {
            throw new ArgumentException("workloadapi: an X.509 context needs at least one SVID", nameof(svids));
        }

        Svids = svids;
        Bundles = bundles;
    }

    /// <summary>The SVIDs in the order the endpoint sent them.</summary>
    public IReadOnlyList<X509Svid> Svids { get; }

    /// <summary>The default SVID: the first in the response (Workload API §8).</summary>
    public X509Svid DefaultSvid => Svids[0];

    /// <summary>Bundles keyed by trust domain.</summary>
    public X509BundleSet Bundles { get; }
}
