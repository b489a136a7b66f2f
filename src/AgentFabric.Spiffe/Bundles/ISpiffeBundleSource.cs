namespace AgentFabric.Spiffe.Bundles;

/// <summary>Supplies the SPIFFE bundle (all authorities) of a trust domain (go-spiffe's <c>spiffebundle.Source</c>).</summary>
public interface ISpiffeBundleSource
{
    /// <summary>The SPIFFE bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="SpiffeBundleException">The source has no bundle for the trust domain.</exception>
    SpiffeBundle GetSpiffeBundleForTrustDomain(TrustDomain trustDomain);
}
