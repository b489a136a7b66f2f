namespace AgentFabric.Server.Datastore;

/// <summary>The trust bundle of one trust domain (ours or a federated one): X.509 authorities as PEM, JWT
/// authorities as the JSON array of their <c>jwt-svid</c> JWKs (see Federation/StoredBundleFormat), the refresh hint (seconds) and a sequence number.</summary>
public sealed record StoredBundle(
    string TrustDomain,
    string X509AuthoritiesPem,
    string JwtAuthoritiesJson,
    long RefreshHintSeconds,
    long SequenceNumber,
    long UpdatedAt);
