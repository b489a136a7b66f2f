namespace AgentFabric.Authorization.Bundles;

/// <summary>Signature verification of a bundle (OPA configuration, <c>bundles[_].signing</c> and <c>keys</c>). When set,
/// a bundle must carry a valid <c>.signatures.json</c>; when not, a signed bundle is refused.</summary>
public sealed record BundleVerificationOptions
{
    /// <summary>The keys by id.</summary>
    public IReadOnlyDictionary<string, BundleVerificationKey> Keys { get; init; } = new Dictionary<string, BundleVerificationKey>();

    /// <summary>The key to verify with; null: the JWT header's <c>kid</c>.</summary>
    public string? KeyId { get; init; }

    /// <summary>The scope the signature must carry; null: the key's scope.</summary>
    public string? Scope { get; init; }

    /// <summary>Files (glob patterns, <c>*</c> within a segment, <c>**</c> across) left out of verification.</summary>
    public IReadOnlyList<string> ExcludeFiles { get; init; } = [];
}
