using AgentFabric.Server.Ca;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Server.Hosting;

/// <summary>Our trust domain's current X.509 bundle, read from the CA at each handshake (so rotation is seen at
/// once); other trust domains have none here, agents are ours only.</summary>
internal sealed class X509BundleSourceFromCa(X509Ca ca) : IX509BundleSource
{
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == ca.TrustDomain
            ? new X509Bundle(trustDomain, ca.BundleAuthorities)
            : throw new X509BundleException($"x509bundle: no X.509 bundle for trust domain \"{trustDomain}\"");
}
