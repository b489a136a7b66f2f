using System.Text.Json.Serialization;

namespace AgentFabric.Server.Config;

// The JSON file: the names of SPIRE's server.conf (seed 003) in snake_case, under a "server" object (a file without
// it is read as the inside of one). Strings everywhere durations appear, as in server.conf ("1h", "5m").
#pragma warning disable CA1056, CA2227 // plain data transfer objects for System.Text.Json
public sealed class ServerConfigFile
{
    [JsonPropertyName("admin_ids")] public List<string>? AdminIds { get; set; }
    [JsonPropertyName("bind_address")] public string? BindAddress { get; set; }
    [JsonPropertyName("bind_port")] public int? BindPort { get; set; }
    [JsonPropertyName("socket_path")] public string? SocketPath { get; set; }
    [JsonPropertyName("trust_domain")] public string? TrustDomain { get; set; }
    [JsonPropertyName("data_dir")] public string? DataDir { get; set; }
    [JsonPropertyName("log_level")] public string? LogLevel { get; set; }
    [JsonPropertyName("jwt_issuer")] public string? JwtIssuer { get; set; }
    [JsonPropertyName("ca_subject")] public CaSubjectFile? CaSubject { get; set; }
    [JsonPropertyName("ca_key_type")] public string? CaKeyType { get; set; }
    [JsonPropertyName("ca_ttl")] public string? CaTtl { get; set; }
    [JsonPropertyName("default_x509_svid_ttl")] public string? DefaultX509SvidTtl { get; set; }
    [JsonPropertyName("default_jwt_svid_ttl")] public string? DefaultJwtSvidTtl { get; set; }
    [JsonPropertyName("agent_ttl")] public string? AgentTtl { get; set; }
    [JsonPropertyName("agent_reattest_grace")] public string? AgentReattestGrace { get; set; }
    [JsonPropertyName("prune_attested_nodes_expired_for")] public string? PruneAttestedNodesExpiredFor { get; set; }
    [JsonPropertyName("prune_attested_nodes_batch_size")] public int? PruneAttestedNodesBatchSize { get; set; }
    [JsonPropertyName("datastore")] public DatastoreFile? Datastore { get; set; }
    [JsonPropertyName("key_manager")] public KeyManagerFile? KeyManager { get; set; }
    [JsonPropertyName("upstream_authority")] public UpstreamAuthorityFile? UpstreamAuthority { get; set; }
    [JsonPropertyName("health_checks")] public HealthChecksFile? HealthChecks { get; set; }
    [JsonPropertyName("rate_limit")] public RateLimitFile? RateLimit { get; set; }
    [JsonPropertyName("federation")] public FederationFile? Federation { get; set; }
}

public sealed class CaSubjectFile
{
    [JsonPropertyName("country")] public List<string>? Country { get; set; }
    [JsonPropertyName("organization")] public List<string>? Organization { get; set; }
    [JsonPropertyName("common_name")] public string? CommonName { get; set; }
}

public sealed class DatastoreFile
{
    // SPIRE's sql plugin: database_type sqlite3 | postgres, connection_string.
    [JsonPropertyName("database_type")] public string? DatabaseType { get; set; }
    [JsonPropertyName("connection_string")] public string? ConnectionString { get; set; }
}

public sealed class KeyManagerFile
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("keys_path")] public string? KeysPath { get; set; }
}

public sealed class UpstreamAuthorityFile
{
    // SPIRE's "disk" UpstreamAuthority plugin.
    [JsonPropertyName("cert_file_path")] public string? CertFilePath { get; set; }
    [JsonPropertyName("key_file_path")] public string? KeyFilePath { get; set; }
    [JsonPropertyName("bundle_file_path")] public string? BundleFilePath { get; set; }
}

public sealed class HealthChecksFile
{
    [JsonPropertyName("listener_enabled")] public bool? ListenerEnabled { get; set; }
    [JsonPropertyName("bind_address")] public string? BindAddress { get; set; }
    [JsonPropertyName("bind_port")] public int? BindPort { get; set; }
}

public sealed class RateLimitFile
{
    [JsonPropertyName("attestation")] public int? Attestation { get; set; }
    [JsonPropertyName("signing")] public int? Signing { get; set; }
}

public sealed class FederationFile
{
    [JsonPropertyName("bundle_endpoint")] public BundleEndpointFile? BundleEndpoint { get; set; }
    [JsonPropertyName("federates_with")] public Dictionary<string, FederatesWithFile>? FederatesWith { get; set; }
}

public sealed class BundleEndpointFile
{
    [JsonPropertyName("address")] public string? Address { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
    [JsonPropertyName("refresh_hint")] public string? RefreshHint { get; set; }
    [JsonPropertyName("profile")] public string? Profile { get; set; }
    [JsonPropertyName("serving_cert_file")] public ServingCertFile? ServingCertFile { get; set; }
}

public sealed class ServingCertFile
{
    [JsonPropertyName("cert_file_path")] public string? CertFilePath { get; set; }
    [JsonPropertyName("key_file_path")] public string? KeyFilePath { get; set; }
}

public sealed class FederatesWithFile
{
    [JsonPropertyName("bundle_endpoint_url")] public string? BundleEndpointUrl { get; set; }
    [JsonPropertyName("bundle_endpoint_profile")] public string? BundleEndpointProfile { get; set; }
    [JsonPropertyName("endpoint_spiffe_id")] public string? EndpointSpiffeId { get; set; }
}
#pragma warning restore CA1056, CA2227
