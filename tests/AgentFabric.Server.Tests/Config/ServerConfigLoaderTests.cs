using System.Collections;
using System.Net;
using AgentFabric.Server.Config;

namespace AgentFabric.Server.Tests.Config;

public class ServerConfigLoaderTests
{
    // Seed 003's server.conf, written as JSON.
    private const string Seed003 = """
        {
          "server": {
            "bind_address": "0.0.0.0",
            "bind_port": 8081,
            "socket_path": "/opt/spire/sockets/registration.sock",
            "trust_domain": "agentvault.com",
            "data_dir": "/opt/spire/data",
            "log_level": "INFO",
            "jwt_issuer": "spiffe://agentvault.com",
            "ca_subject": { "country": ["US"], "organization": ["AgentVault"], "common_name": "AgentVault CA" },
            "default_x509_svid_ttl": "1h",
            "default_jwt_svid_ttl": "5m"
          }
        }
        """;

    private static readonly Hashtable s_noEnv = [];

    [Fact]
    public void Loads_Seed003()
    {
        var s = ServerConfigLoader.Load(Seed003, s_noEnv);
        Assert.Equal("agentvault.com", s.TrustDomain.Name);
        Assert.Equal(IPAddress.Any, s.BindAddress);
        Assert.Equal(8081, s.BindPort);
        Assert.Equal("/opt/spire/sockets/registration.sock", s.SocketPath);
        Assert.Equal("/opt/spire/data", s.DataDir);
        Assert.Equal("spiffe://agentvault.com", s.JwtIssuer);
        Assert.Equal(["US"], s.CaSubject.Country);
        Assert.Equal(["AgentVault"], s.CaSubject.Organization);
        Assert.Equal("AgentVault CA", s.CaSubject.CommonName);
        Assert.Equal(TimeSpan.FromHours(1), s.DefaultX509SvidTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), s.DefaultJwtSvidTtl);
        Assert.Equal(TimeSpan.FromHours(1), s.AgentTtl);
        Assert.Equal(TimeSpan.FromDays(7), s.AgentReattestGrace);
        Assert.Equal(TimeSpan.FromHours(24), s.CaTtl);
        Assert.Equal(DatastoreKind.Sqlite, s.DatastoreKind);
        Assert.Equal("/opt/spire/data/datastore.sqlite3", s.DatastoreConnectionString);
        Assert.Equal(KeyManagerKind.Disk, s.KeyManagerKind);
        Assert.Equal("/opt/spire/data/keys", s.KeysPath);
        Assert.Equal(1, s.AttestationRateLimit);
        Assert.Equal(500, s.SigningRateLimit);
    }

    [Fact]
    public void EnvironmentOverridesFileValues()
    {
        var env = new Hashtable
        {
            ["AGENTFABRIC_SERVER_TRUST_DOMAIN"] = "example.org",
            ["AGENTFABRIC_SERVER_BIND_PORT"] = "9001",
            ["AGENTFABRIC_SERVER_DATASTORE__DATABASE_TYPE"] = "postgres",
            ["AGENTFABRIC_SERVER_DATASTORE__CONNECTION_STRING"] = "Host=127.0.0.1",
            ["UNRELATED"] = "x",
        };
        var s = ServerConfigLoader.Load(Seed003, env);
        Assert.Equal("example.org", s.TrustDomain.Name);
        Assert.Equal(9001, s.BindPort);
        Assert.Equal(DatastoreKind.Postgres, s.DatastoreKind);
        Assert.Equal("Host=127.0.0.1", s.DatastoreConnectionString);
    }

    [Fact]
    public void EnvironmentValues_AreReadAsTheSettingsType()
    {
        var env = new Hashtable
        {
            ["AGENTFABRIC_SERVER_AGENT_REATTEST_GRACE"] = "0",
            ["AGENTFABRIC_SERVER_BIND_PORT"] = "9002",
        };
        var s = ServerConfigLoader.Load("""{"trust_domain":"td","data_dir":"/d"}""", env);
        Assert.Equal(TimeSpan.Zero, s.AgentReattestGrace);
        Assert.Equal(9002, s.BindPort);
    }

    [Fact]
    public void EnvironmentPort_ThatIsNotANumber_IsRefused()
    {
        var env = new Hashtable { ["AGENTFABRIC_SERVER_BIND_PORT"] = "http" };
        var e = Assert.Throws<ServerConfigException>(() => ServerConfigLoader.Load("""{"trust_domain":"td","data_dir":"/d"}""", env));
        Assert.Equal("config: bind_port must be a whole number", e.Message);
    }

    [Theory]
    [InlineData("12h", 12 * 3600)]
    [InlineData("30d", 30 * 86400)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    public void AgentReattestGrace_IsADuration_WhereZeroDisables(string text, int seconds)
    {
        var s = ServerConfigLoader.Load($$"""{"trust_domain":"td","data_dir":"/d","agent_reattest_grace":"{{text}}"}""", s_noEnv);
        Assert.Equal(TimeSpan.FromSeconds(seconds), s.AgentReattestGrace);
    }

    [Theory]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","agent_reattest_grace":"-1h"}""", "config: agent_reattest_grace \"-1h\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","agent_reattest_grace":"soon"}""", "config: agent_reattest_grace \"soon\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("""{"data_dir":"/d"}""", "config: trust_domain is required")]
    [InlineData("""{"trust_domain":"Bad Domain","data_dir":"/d"}""", "config: trust_domain \"Bad Domain\" is invalid: spiffeid: trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores")]
    [InlineData("""{"trust_domain":"td"}""", "config: data_dir is required")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","default_x509_svid_ttl":"forever"}""", "config: default_x509_svid_ttl \"forever\" is not a duration (examples: \"1h\", \"5m\", \"30s\")")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","default_jwt_svid_ttl":"0s"}""", "config: default_jwt_svid_ttl must be positive, got \"0s\"")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","default_x509_svid_ttl":"48h"}""", "config: default_x509_svid_ttl (48h) must be shorter than ca_ttl (24h)")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","bind_port":70000}""", "config: bind_port 70000 is outside 0-65535")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","bind_port":true}""", "config: bind_port must be a whole number")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","ca_ttl":24}""", "config: ca_ttl must be a string")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","bind_address":"nowhere"}""", "config: bind_address \"nowhere\" is not an IP address")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","log_level":"LOUD"}""", "config: log_level \"LOUD\" is not one of DEBUG, INFO, WARN, ERROR")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","ca_key_type":"rsa-2048"}""", "config: ca_key_type \"rsa-2048\" is not supported (only ec-p256)")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","datastore":{"database_type":"mysql"}}""", "config: datastore.database_type \"mysql\" is not one of sqlite3, postgres")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","datastore":{"database_type":"postgres"}}""", "config: datastore.connection_string is required for database_type \"postgres\"")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","key_manager":{"type":"hsm"}}""", "config: key_manager.type \"hsm\" is not one of disk, memory")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","upstream_authority":{"cert_file_path":"c"}}""", "config: upstream_authority needs both cert_file_path and key_file_path")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","rate_limit":{"signing":0}}""", "config: rate_limit.signing must be positive, got 0")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","federation":{"bundle_endpoint":{"profile":"https_web"}}}""", "config: federation.bundle_endpoint profile https_web needs serving_cert_file.cert_file_path and key_file_path")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","federation":{"federates_with":{"partner.com":{"bundle_endpoint_url":"http://p/"}}}}""", "config: federation.federates_with \"partner.com\".bundle_endpoint_url must be an https URL")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","federation":{"federates_with":{"partner.com":{"bundle_endpoint_url":"https://p/"}}}}""", "config: federation.federates_with \"partner.com\".endpoint_spiffe_id is required for https_spiffe and must be a SPIFFE ID: spiffeid: cannot be empty")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","colour":"red"}""", "config: unknown setting \"colour\"")]
    [InlineData("""[1]""", "config: the file must hold a JSON object")]
    [InlineData("""{"trust_domain":"td","data_dir":"/d","admin_ids":["not-an-id"]}""", "config: admin_ids \"not-an-id\" is not a SPIFFE ID: spiffeid: scheme is missing or invalid (expected \"spiffe://\")")]
    public void RejectsInvalidSettings(string json, string error)
    {
        var e = Assert.Throws<ServerConfigException>(() => ServerConfigLoader.Load(json, s_noEnv));
        Assert.Equal(error, e.Message);
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("3600", 3600)]
    [InlineData("500ms", 0.5)]
    public void ParsesDurations(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var d));
        Assert.Equal(seconds, d.TotalSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("5y")]
    [InlineData("-5m")]
    public void RejectsBadDurations(string text) => Assert.False(DurationText.TryParse(text, out _));
}
