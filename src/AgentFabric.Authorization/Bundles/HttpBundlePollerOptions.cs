namespace AgentFabric.Authorization.Bundles;

/// <summary>Polling of a bundle service (OPA configuration, <c>bundles[_].polling</c>).</summary>
public sealed record HttpBundlePollerOptions
{
    /// <summary>Delay between polls when the service sends no <c>Cache-Control: max-age</c> (OPA: 60 s minimum).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Shortest delay, even when <c>max-age</c> asks for less.</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay, even when <c>max-age</c> asks for more (OPA: 120 s maximum).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long one download may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How bundles are checked.</summary>
    public BundleLoadOptions Load { get; init; } = BundleLoadOptions.Default;
}
