namespace AgentFabric.Agent.Attestation;

/// <summary>Limits and caches of the <see cref="UnixWorkloadAttestor"/>.</summary>
public sealed record UnixWorkloadAttestorOptions
{
    /// <summary>Largest executable the attestor hashes for <c>unix:sha256</c>.</summary>
    public long MaxDigestBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// How long the selectors of one process (same pid, start time, uid/gid, executable path and file identity) are
    /// reused. Only the user and group names can change within that key, so this bounds how late an edit of
    /// /etc/passwd or /etc/group is seen; a new process, an exec or a changed binary is attested at once. Zero turns
    /// the cache off.
    /// </summary>
    public TimeSpan ResultLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most processes whose selectors are kept.</summary>
    public int MaxCachedResults { get; init; } = 4096;

    /// <summary>Most executables whose SHA-256 is kept, keyed by their file identity.</summary>
    public int MaxCachedDigests { get; init; } = 4096;

    /// <summary>Clock for result lifetimes and for telling a settled binary from one just written.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
