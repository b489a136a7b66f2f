namespace AgentFabric.Authorization.Bundles;

/// <summary>A bundle verification key (OPA configuration, <c>keys.&lt;id&gt;</c>): its JWS algorithm (<c>RS256</c>,
/// <c>PS256</c>, <c>ES256</c>... or <c>HS256</c> with a shared secret) and its PEM public key (or the secret).</summary>
/// <param name="Algorithm">The JWS <c>alg</c> the signature must use.</param>
/// <param name="Key">A PEM <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) for RS/PS/ES, the secret for HS.</param>
/// <param name="Scope">The scope the signature must carry when the bundle configuration names none.</param>
public sealed record BundleVerificationKey(string Algorithm, string Key, string? Scope = null);
