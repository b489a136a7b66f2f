namespace AgentFabric.Server.Datastore;

/// <summary>A dynamic federation relationship as stored: the trust domain name, its bundle endpoint URL, the
/// profile (<c>https_web</c> or <c>https_spiffe</c>) and the endpoint's SPIFFE ID (empty for https_web). Validated
/// by Federation/FederationRelationships before it is stored.</summary>
public sealed record StoredFederationRelationship(
    string TrustDomain,
    string BundleEndpointUrl,
    string BundleEndpointProfile,
    string EndpointSpiffeId);
