namespace AgentFabric.Authorization.Bundles;

/// <summary>What one poll did.</summary>
public enum BundlePollOutcome
{
    /// <summary>A new bundle was downloaded and activated.</summary>
    Activated,

    /// <summary>The service answered <c>304 Not Modified</c>.</summary>
    NotModified,

    /// <summary>The download or the bundle was refused; the last good bundle keeps serving.</summary>
    Failed,
}

/// <summary>One poll's outcome, its activation event (null for 304), and when to poll next.</summary>
public sealed record BundlePollResult(BundlePollOutcome Outcome, BundleActivationEvent? Event, TimeSpan NextPoll);
