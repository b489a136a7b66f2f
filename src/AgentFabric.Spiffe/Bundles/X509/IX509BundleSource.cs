namespace AgentFabric.Spiffe.Bundles.X509;

/// <summary>Supplies the X.509 bundle of a trust domain (go-spiffe's <c>x509bundle.Source</c>).</summary>
public interface IX509BundleSource
{
    /// <summary>The X.509 bundle of <paramref name="trustDomain"/>.</summary>
    /// <exception cref="X509BundleException">The source has no bundle for the trust domain.</exception>
    X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain);
}
