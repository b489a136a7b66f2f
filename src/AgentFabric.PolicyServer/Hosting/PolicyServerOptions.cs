using AgentFabric.PolicyServer.Envoy;
using AgentFabric.Authorization.Bundles;

namespace AgentFabric.PolicyServer.Hosting;

/// <summary>How clients authenticate to the REST API (OPA's <c>--authentication</c>).</summary>
public enum PolicyServerAuthentication
{
    /// <summary>No authentication: every client may call every API (OPA's default).</summary>
    Off,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time with the configured tokens.</summary>
    Token,

    /// <summary>Mutual TLS: the client's X.509-SVID, validated against a SPIFFE trust bundle.</summary>
    Tls,
}

/// <summary>Everything <c>agentfabric policy serve</c> configures (the flags of <c>opa run --server</c>).</summary>
public sealed record PolicyServerOptions
{
    /// <summary>The REST API's listen address, <c>host:port</c> (OPA's <c>--addr</c>, default <c>localhost:8181</c>).</summary>
    public string Address { get; init; } = "localhost:8181";

    /// <summary>Envoy ext_authz gRPC listen address (cleartext HTTP/2, OPA-Envoy's <c>addr</c>);
    /// <see langword="null"/>: no ext_authz listener.</summary>
    public string? EnvoyAddress { get; init; }

    /// <summary>The rule each ext_authz Check asks (OPA-Envoy's <c>path</c>).</summary>
    public string EnvoyPath { get; init; } = EnvoyExtAuthzOptions.DefaultPath;

    /// <summary>The decision <c>POST /</c> evaluates (OPA's <c>--set default_decision</c>, default <c>/system/main</c>).</summary>
    public string DefaultDecision { get; init; } = "system/main";

    /// <summary>Bundles loaded once at start: a directory or a <c>.tar.gz</c> each (named by file name).</summary>
    public IReadOnlyList<string> BundlePaths { get; init; } = [];

    /// <summary>Bundles polled from an HTTP bundle service (named by the URL's last segment).</summary>
    public IReadOnlyList<Uri> BundleUrls { get; init; } = [];

    /// <summary>Signature verification and limits for every bundle.</summary>
    public BundleLoadOptions BundleLoad { get; init; } = BundleLoadOptions.Default;

    /// <summary>Polling delays for <see cref="BundleUrls"/>.</summary>
    public HttpBundlePollerOptions BundlePolling { get; init; } = new();

    /// <summary>The authentication scheme.</summary>
    public PolicyServerAuthentication Authentication { get; init; }

    /// <summary>Bearer tokens allowed to read (evaluate) with <see cref="PolicyServerAuthentication.Token"/>.</summary>
    public IReadOnlyList<string> Tokens { get; init; } = [];

    /// <summary>Bearer tokens also allowed to write (policies and data).</summary>
    public IReadOnlyList<string> AdminTokens { get; init; } = [];

    /// <summary>SPIFFE IDs allowed to read with <see cref="PolicyServerAuthentication.Tls"/> (empty: any ID the
    /// trust bundle validates).</summary>
    public IReadOnlyList<string> AllowedSpiffeIds { get; init; } = [];

    /// <summary>SPIFFE IDs also allowed to write.</summary>
    public IReadOnlyList<string> AdminSpiffeIds { get; init; } = [];

    /// <summary>PEM file of the trust domain's X.509 authorities that client SVIDs must chain to (OPA's
    /// <c>--tls-ca-cert-file</c>).</summary>
    public string? TrustBundleFile { get; init; }

    /// <summary>The trust domain <see cref="TrustBundleFile"/> belongs to; client SVIDs of other trust domains are
    /// refused.</summary>
    public string? TrustDomain { get; init; }

    /// <summary>Server certificate (PEM) for HTTPS (OPA's <c>--tls-cert-file</c>).</summary>
    public string? TlsCertFile { get; init; }

    /// <summary>Server private key (PEM) (OPA's <c>--tls-private-key-file</c>).</summary>
    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>Decision log file (JSON lines).</summary>
    public string? DecisionLogFile { get; init; }

    /// <summary>Decision log upload URL (OPA's upload format).</summary>
    public Uri? DecisionLogUrl { get; init; }

    /// <summary>Decision logs to standard output (OPA's <c>decision_logs.console=true</c>).</summary>
    public bool DecisionLogConsole { get; init; }

    /// <summary>Whether any decision log sink is configured (the API then returns <c>decision_id</c>, as OPA does).</summary>
    public bool DecisionLogsEnabled => DecisionLogFile is not null || DecisionLogUrl is not null || DecisionLogConsole;

    /// <summary>Whether any bundle is configured (<c>/ready</c> then waits for all of them).</summary>
    public bool HasBundles => BundlePaths.Count > 0 || BundleUrls.Count > 0;

    /// <summary>The name a bundle path or URL is known by (status, health, revisions).</summary>
    public static string BundleName(string pathOrUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrUrl);
        var trimmed = pathOrUrl.TrimEnd('/', '\\');
        var name = trimmed[(trimmed.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.EndsWith(".tar.gz", StringComparison.Ordinal) ? name[..^".tar.gz".Length] : name;
    }
}
