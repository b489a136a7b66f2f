using AgentFabric.Rego.Ast;

namespace AgentFabric.Authorization.Bundles;

/// <summary>How a bundle is read and checked.</summary>
public sealed record BundleLoadOptions
{
    /// <summary>The defaults: no signature verification, default limits, Rego v1.</summary>
    public static readonly BundleLoadOptions Default = new();

    /// <summary>Signature verification; null: signed bundles are refused, unsigned ones accepted (OPA's table).</summary>
    public BundleVerificationOptions? Verification { get; init; }

    /// <summary>Size limits.</summary>
    public BundleLimits Limits { get; init; } = BundleLimits.Default;

    /// <summary>The Rego version of modules the manifest says nothing about.</summary>
    public RegoVersion DefaultRegoVersion { get; init; } = RegoVersion.V1;
}
