namespace AgentFabric.Authorization.Bundles;

/// <summary>Why a bundle was refused.</summary>
public enum BundleErrorReason
{
    /// <summary>The archive is not a gzipped tarball, or a file cannot be read.</summary>
    InvalidArchive,

    /// <summary>A tar entry escapes the bundle (<c>..</c>, a link) or a path is not usable.</summary>
    PathTraversal,

    /// <summary>A file, the file count or the whole bundle exceeds its limit.</summary>
    TooLarge,

    /// <summary>The <c>.manifest</c> is not valid.</summary>
    InvalidManifest,

    /// <summary>The manifest's roots overlap each other or another active bundle's roots.</summary>
    RootOverlap,

    /// <summary>A module's package or a data document lies outside the manifest's roots.</summary>
    OutsideRoots,

    /// <summary>A <c>data.json</c>/<c>data.yaml</c> is malformed or conflicts with other data.</summary>
    InvalidData,

    /// <summary>A module does not parse.</summary>
    ParseError,

    /// <summary>The modules do not compile (with the other active bundles).</summary>
    CompileError,

    /// <summary>Verification is configured but the bundle has no <c>.signatures.json</c>.</summary>
    SignatureMissing,

    /// <summary>The bundle is signed but no verification is configured.</summary>
    SignatureUnexpected,

    /// <summary>The signature, its key, its scope or a file digest does not verify.</summary>
    SignatureInvalid,

    /// <summary>The bundle service could not be reached or answered with an error.</summary>
    DownloadFailed,
}
