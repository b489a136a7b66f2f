using System.Net;
using AgentFabric.Spiffe;

namespace AgentFabric.Server.Config;

public enum DatastoreKind
{
    Sqlite,
    Postgres,
}

public enum KeyManagerKind
{
    Memory,
    Disk,
}

public enum BundleEndpointProfile
{
    HttpsWeb,
    HttpsSpiffe,
}

/// <summary>The validated server configuration (what <see cref="ServerConfigLoader"/> produces).</summary>
public sealed record ServerSettings
{
    public required TrustDomain TrustDomain { get; init; }
    public IPAddress BindAddress { get; init; } = IPAddress.Any;
    public int BindPort { get; init; } = 8081;
    public string SocketPath { get; init; } = ServerDefaults.SocketPath;
    public required string DataDir { get; init; }
    public string LogLevel { get; init; } = "INFO";
    public string? JwtIssuer { get; init; }
    public CaSubject CaSubject { get; init; } = new([], ["AgentFabric"], "AgentFabric CA");
    public TimeSpan CaTtl { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan DefaultX509SvidTtl { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan DefaultJwtSvidTtl { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan AgentTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long after its node SVID expired an agent may still re-attest with it (proving it holds its key);
    /// zero disables re-attestation (the agent then needs a new join token).</summary>
    public TimeSpan AgentReattestGrace { get; init; } = TimeSpan.FromDays(7);

    /// <summary>SPIRE's <c>prune_attested_nodes_expired_for</c>: when set, agents whose node SVID expired longer ago
    /// than this are deleted every hour (banned ones are kept); null (the default) never prunes them.</summary>
    public TimeSpan? PruneAttestedNodesExpiredFor { get; init; }

    /// <summary>SPIRE's <c>prune_attested_nodes_batch_size</c>: at most this many agents pruned per cycle.</summary>
    public int PruneAttestedNodesBatchSize { get; init; } = 1000;
    public DatastoreKind DatastoreKind { get; init; } = DatastoreKind.Sqlite;
    public required string DatastoreConnectionString { get; init; }
    public KeyManagerKind KeyManagerKind { get; init; } = KeyManagerKind.Disk;
    public required string KeysPath { get; init; }
    public UpstreamAuthoritySettings? UpstreamAuthority { get; init; }
    public bool HealthListenerEnabled { get; init; } = true;
    public IPAddress HealthBindAddress { get; init; } = IPAddress.Loopback;
    public int HealthBindPort { get; init; } = 8080;
    public int AttestationRateLimit { get; init; } = 1;
    public int SigningRateLimit { get; init; } = 500;
    public BundleEndpointSettings? BundleEndpoint { get; init; }
    public IReadOnlyList<FederatedTrustDomainSettings> FederatesWith { get; init; } = [];

    /// <summary>SPIFFE IDs whose SVIDs may call the Admin API over mutual TLS (SPIRE's admin_ids).</summary>
    public IReadOnlyList<SpiffeId> AdminIds { get; init; } = [];

    /// <summary>Start a new CA deliberately (<c>server run -forceNewCA</c>; not a config-file key): skips the
    /// continuity checks that refuse to start when CA state or the datastore vanished, and mints a new active CA
    /// instead of resuming the journal's.</summary>
    public bool ForceNewCa { get; init; }
}

public sealed record CaSubject(IReadOnlyList<string> Country, IReadOnlyList<string> Organization, string CommonName);

public sealed record UpstreamAuthoritySettings(string CertFilePath, string KeyFilePath, string? BundleFilePath);

public sealed record BundleEndpointSettings(
    IPAddress Address,
    int Port,
    BundleEndpointProfile Profile,
    TimeSpan RefreshHint,
    string? ServingCertFile,
    string? ServingKeyFile);

public sealed record FederatedTrustDomainSettings(
    TrustDomain TrustDomain,
    Uri BundleEndpointUrl,
    BundleEndpointProfile Profile,
    SpiffeId EndpointSpiffeId);

public static class ServerDefaults
{
    public const string SocketPath = "/tmp/agentfabric-server/private/api.sock";
}
