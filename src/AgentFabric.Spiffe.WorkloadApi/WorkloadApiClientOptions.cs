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

    /// <summary>Clock for backoff waits and JWT-SVID cache lifetimes.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
