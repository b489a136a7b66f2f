namespace AgentFabric.Agent.Cache;

/// <summary>Limits and timings of the workload SVID cache.</summary>
public sealed record WorkloadSvidCacheOptions
{
    /// <summary>Most X.509-SVIDs kept for entries nobody is subscribed to (SPIRE's x509_svid_cache_max_size). SVIDs
    /// of open streams are never evicted.</summary>
    public int X509SvidCacheMaxSize { get; init; } = 1000;

    /// <summary>Most JWT-SVIDs kept (SPIRE's jwt_svid_cache_max_size), a hard limit.</summary>
    public int JwtSvidCacheMaxSize { get; init; } = 1000;

    /// <summary>A JWT-SVID used within this window is re-minted ahead of expiry by the rotation loop.</summary>
    public TimeSpan JwtRecentUseWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before its half life an X.509-SVID is replaced (capped at a quarter of its lifetime). It
    /// covers the rotation check interval (1 s) and a signing round trip, so workloads hold the new SVID before the
    /// old one's half life; see <see cref="X509RotationSchedule"/>.</summary>
    public TimeSpan RotationLead { get; init; } = TimeSpan.FromSeconds(2);
}
