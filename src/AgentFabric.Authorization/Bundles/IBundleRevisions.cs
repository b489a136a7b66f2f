namespace AgentFabric.Authorization.Bundles;

/// <summary>The revisions of the active bundles, by bundle name (decision logs' <c>bundles</c>).</summary>
public interface IBundleRevisions
{
    /// <summary>Name → revision of each active bundle.</summary>
    IReadOnlyDictionary<string, string> Revisions { get; }
}
