namespace AgentFabric.Spiffe.WorkloadApi;

/// <summary>Settings of a <see cref="WorkloadApiClient"/>.</summary>
public sealed record WorkloadApiClientOptions
{
    /// <summary>The endpoint address (<c>unix:///path</c> or <c>tcp://ip:port</c>); null falls back to
    /// <c>SPIFFE_ENDPOINT_SOCKET</c> (Workload Endpoint §4).</summary>
    public string? Address { get; init; }

    /// <summary>First wait before a watch reconnects; doubled after each failed attempt.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two reconnect attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reuse the parsed X.509-SVIDs and bundle certificates of earlier responses when a response carries exactly the
    /// same bytes (the common case: nothing rotated since). Results then share <see cref="Svid.X509.X509Svid"/>
    /// instances (immutable) and bundle certificates; do not dispose them. Off: every response is parsed anew.
    /// </summary>
    public bool ReuseParsedResponses { get; init; } = true;

    /// <summary>Clock for backoff waits and JWT-SVID cache lifetimes.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
