namespace AgentFabric.Authorization.Bundles;

/// <summary>Size limits applied while a bundle is read (before anything is parsed), so a hostile archive cannot
/// exhaust memory. OPA's per-file default (<c>size_limit_bytes</c>) is 1 GiB; ours are tighter.</summary>
public sealed record BundleLimits
{
    /// <summary>The defaults: 32 MiB per file, 128 MiB in all, 10,000 files.</summary>
    public static readonly BundleLimits Default = new();

    /// <summary>Largest single file, uncompressed.</summary>
    public long MaxFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest bundle, all files uncompressed (also caps a downloaded archive).</summary>
    public long MaxTotalBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>Most files.</summary>
    public int MaxFiles { get; init; } = 10_000;
}
