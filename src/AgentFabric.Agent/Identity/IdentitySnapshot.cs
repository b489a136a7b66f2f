using AgentFabric.Spiffe.Bundles.Jwt;
using AgentFabric.Spiffe.Bundles.X509;

namespace AgentFabric.Agent.Identity;

/// <summary>What the agent last synced from the identity server: the entries it may serve and every bundle (own
/// trust domain and federated ones). Immutable; a sync replaces the whole snapshot.</summary>
public sealed record IdentitySnapshot(
    TrustDomain TrustDomain,
    IReadOnlyList<RegistrationEntry> Entries,
    X509BundleSet X509Bundles,
    JwtBundleSet JwtBundles);
