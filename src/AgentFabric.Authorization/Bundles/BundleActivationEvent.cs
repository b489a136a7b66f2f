namespace AgentFabric.Authorization.Bundles;

/// <summary>One activation attempt: which bundle, which revision, and whether it became active (with the refusal's
/// reason and message when it did not). Feeds health and metrics, like OPA's bundle status.</summary>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Revision">The manifest revision of the attempted bundle (null when it could not be read).</param>
/// <param name="Timestamp">When the attempt finished.</param>
/// <param name="Error">Null on success; otherwise why the bundle was refused.</param>
public sealed record BundleActivationEvent(string Bundle, string? Revision, DateTimeOffset Timestamp, BundleException? Error)
{
    /// <summary>Whether the bundle became active.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The refusal's reason, null on success.</summary>
    public BundleErrorReason? Reason => Error?.Reason;
}
