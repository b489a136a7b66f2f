namespace AgentFabric.Edge;

/// <summary>Where the edge stores its data.</summary>
public enum EdgeDatabaseProvider
{
    /// <summary>A SQLite file (the default: <c>edge.db</c> in the data directory).</summary>
    Sqlite,

    /// <summary>PostgreSQL through <see cref="EdgeOptions.ConnectionString"/>.</summary>
    PostgreSql,
}

/// <summary>Settings of an edge: its issuer URL, data directory, database, token lifetimes and limits.</summary>
public sealed partial class EdgeOptions
{
    /// <summary>The issuer URL (OIDC Discovery §3, <c>iss</c>); the edge listens on its host and port.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>Holds the signing and encryption keys, the data-protection keys and the SQLite database.</summary>
    public string DataDirectory { get; set; } = "";

    public EdgeDatabaseProvider DatabaseProvider { get; set; } = EdgeDatabaseProvider.Sqlite;

    /// <summary>The database connection string; for SQLite the default is <c>edge.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest life of a token issued by token exchange (RFC 8693); the default is 5 minutes.</summary>
    public TimeSpan ExchangeLifetimeCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a new signing key is made (null: only by <c>agentfabric edge keys rotate</c>); the default
    /// is 30 days.</summary>
    public TimeSpan? SigningKeyRotationPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a new signing key is in the JWKS before it signs, so relying parties that cache the JWKS
    /// have it by then; the default is 1 hour.</summary>
    public TimeSpan SigningKeyPublishLead { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many actors an <c>act</c> chain may hold (RFC 8693 §4.1) before an exchange is refused.</summary>
    public int MaxDelegationDepth { get; set; } = 4;

    /// <summary>Failed logins in a row that lock an account.</summary>
    public int LockoutThreshold { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A SPIFFE bundle map file (SPIFFE Trust Domain and Bundle §5): the trust bundles for client assertions.</summary>
    public string? TrustBundlePath { get; set; }

    /// <summary>A policy bundle (directory or .tar.gz) replacing the built-in exchange policy.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>The Rego rule deciding an exchange; <c>true</c> (or an object with <c>allow: true</c>) allows it.</summary>
    public string ExchangeDecisionPath { get; set; } = "edge/exchange/allow";

    /// <summary>A file the exchange decisions are appended to as JSON lines in OPA's decision-log shape (each
    /// <c>decision_id</c> is the issued token's <c>jti</c>); null writes none.</summary>
    public string? DecisionLogPath { get; set; }

    /// <summary>Whether a JWT-SVID client assertion must carry a <c>jti</c>. draft-ietf-oauth-spiffe-client-auth makes
    /// <c>jti</c> optional and SPIRE's JWT-SVIDs (and ours) carry none unless asked, so by default an assertion without
    /// one is accepted (its short life and this edge's audience bound its replay); a <c>jti</c>, when present, is
    /// always accepted once only (RFC 7523 §3 item 7). Set this when every client's SVIDs carry a <c>jti</c>.</summary>
    public bool RequireClientAssertionJti { get; set; }

    /// <summary>The SPIFFE clients allowed to exchange tokens: exact IDs, <c>spiffe://td/path/*</c> or
    /// <c>spiffe://td/*</c> (draft-ietf-oauth-spiffe-client-auth: clients registered by SPIFFE ID).</summary>
    public IList<string> SpiffeClients { get; } = [];

    /// <summary>Caller → target routes for the built-in exchange policy (ignored with <see cref="PolicyPath"/>).</summary>
    public IList<Exchange.ExchangeRoute> ExchangeRoutes { get; } = [];

    // ---- Issue #15: mTLS client authentication (RFC 8705), live trust bundles, external issuers, federation ----

    /// <summary>The Workload API endpoint (<c>unix:///path</c> or <c>tcp://127.0.0.1:port</c>) of the node agent:
    /// trust bundles for client assertions and X.509-SVIDs come from it live (replacing <see cref="TrustBundlePath"/>),
    /// and the mTLS listener presents the edge's own X.509-SVID unless <see cref="MtlsCertificatePath"/> is set.</summary>
    public string? WorkloadApiAddress { get; set; }

    /// <summary>An <c>https</c> URL (host and port, path <c>/</c>) for a second listener where agents may present their
    /// X.509-SVID as a TLS client certificate (RFC 8705 §2); published as <c>mtls_endpoint_aliases</c> (§5).</summary>
    public Uri? MtlsEndpoint { get; set; }

    /// <summary>PEM certificate chain the mTLS listener presents (with <see cref="MtlsKeyPath"/>).</summary>
    public string? MtlsCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="MtlsCertificatePath"/>.</summary>
    public string? MtlsKeyPath { get; set; }

    /// <summary>Issuers besides this edge whose tokens may be exchanged as <c>subject_token</c>.</summary>
    public IList<Exchange.ExternalIssuer> ExternalIssuers { get; } = [];

    /// <summary>The settings that are wrong, one message each; empty when the options can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Issuer is null)
        {
            errors.Add("edge: the issuer URL is required");
        }
        else if (!Issuer.IsAbsoluteUri || (Issuer.Scheme != Uri.UriSchemeHttps && Issuer.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(Issuer.Query) || !string.IsNullOrEmpty(Issuer.Fragment))
        {
            // OIDC Discovery §3 / RFC 8414 §2: an https URL with no query or fragment (http allowed for loopback tests).
            errors.Add($"edge: the issuer \"{Issuer}\" must be an absolute http(s) URL without query or fragment");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add("edge: the data directory is required");
        }

        if (DatabaseProvider == EdgeDatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("edge: PostgreSQL needs a connection string");
        }

        Positive(errors, AccessTokenLifetime, "access token lifetime");
        Positive(errors, IdentityTokenLifetime, "identity token lifetime");
        Positive(errors, RefreshTokenLifetime, "refresh token lifetime");
        Positive(errors, AuthorizationCodeLifetime, "authorization code lifetime");
        Positive(errors, ExchangeLifetimeCap, "exchange lifetime cap");
        Positive(errors, LockoutDuration, "lockout duration");
        Positive(errors, SigningKeyPublishLead, "signing key publish lead");
        if (SigningKeyRotationPeriod is { } period && period <= SigningKeyPublishLead)
        {
            errors.Add($"edge: the signing key rotation period ({period}) must be longer than the publish lead ({SigningKeyPublishLead})");
        }

        if (MaxDelegationDepth < 1)
        {
            errors.Add($"edge: the delegation depth cap must be at least 1, not {MaxDelegationDepth}");
        }

        if (LockoutThreshold < 1)
        {
            errors.Add($"edge: the lockout threshold must be at least 1, not {LockoutThreshold}");
        }

        foreach (var pattern in SpiffeClients)
        {
            try
            {
                Exchange.SpiffeClientPattern.Parse(pattern);
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        if (!Authorization.DecisionPath.TryParse(ExchangeDecisionPath, out _, out var pathError))
        {
            errors.Add($"edge: bad exchange decision path: {pathError}");
        }

        ValidateTrustAndFederation(errors);
        return errors;
    }

    internal string ResolvedConnectionString => DatabaseProvider == EdgeDatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(ConnectionString)
        ? "Data Source=" + Path.Combine(DataDirectory, "edge.db")
        : ConnectionString!;

    private static void Positive(List<string> errors, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"edge: the {name} must be positive, not {value}");
        }
    }
}
