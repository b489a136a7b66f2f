using System.Collections;
using AgentFabric.Agent.Config;

namespace AgentFabric.Agent.Tests.Config;

public class AgentConfigTests
{
    private const string Seed = """
        {
          "agent": {
            "data_dir": "/opt/spire/data/agent",
            "log_level": "info",
            "server_address": "spire-server",
            "server_port": 8081,
            "socket_path": "/opt/spire/sockets/agent.sock",
            "trust_domain": "agentvault.com",
            "join_token": "abc",
            "insecure_bootstrap": true,
            "health_checks": { "bind_port": 8089 }
          }
        }
        """;

    [Fact]
    public void ReadsSeed003sAgentConf_AsJson()
    {
        var c = AgentConfig.Load(Seed, new Hashtable());
        Assert.Equal(
            ("agentvault.com", "spire-server", 8081, "/opt/spire/sockets/agent.sock", "/opt/spire/data/agent", "abc", true, "INFO", "127.0.0.1", 8089),
            (c.TrustDomain.Name, c.ServerAddress, c.ServerPort, c.SocketPath, c.DataDir, c.JoinToken, c.InsecureBootstrap, c.LogLevel, c.HealthAddress, c.HealthPort));
        Assert.Null(c.TrustBundlePath);
    }

    [Fact]
    public void EnvironmentOverrides_IncludingNestedKeys()
    {
        var env = new Hashtable
        {
            ["AGENTFABRIC_AGENT_JOIN_TOKEN"] = "xyz",
            ["AGENTFABRIC_AGENT_SERVER_PORT"] = "9090",
            ["AGENTFABRIC_AGENT_HEALTH_CHECKS__BIND_PORT"] = "7000",
            ["OTHER"] = "ignored",
        };
        var c = AgentConfig.Load(Seed, env);
        Assert.Equal(("xyz", 9090, 7000), (c.JoinToken, c.ServerPort, c.HealthPort));
    }

    [Theory]
    [InlineData("{", "agent config is not valid JSON: ")]
    [InlineData("[]", "agent config must be a JSON object")]
    [InlineData("""{"server_address":"a","server_port":1,"socket_path":"s","data_dir":"d"}""", "trust_domain is required")]
    [InlineData("""{"trust_domain":"Bad Domain","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d"}""", "trust_domain \"Bad Domain\" is not a valid trust domain name")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":70000,"socket_path":"s","data_dir":"d"}""", "server_port \"70000\" is not a port number (1-65535)")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"data_dir":"d"}""", "socket_path is required")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","log_level":"loud"}""", "log_level \"LOUD\" is not one of DEBUG, INFO, WARN, ERROR")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","insecure_bootstrap":"maybe"}""", "insecure_bootstrap \"maybe\" is not true or false")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","insecure_bootstrap":true,"trust_bundle_path":"b.pem"}""", "trust_bundle_path and insecure_bootstrap exclude each other")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","join_tokn":"x"}""", "unknown setting \"join_tokn\" (known: trust_domain, server_address, server_port, socket_path, data_dir, join_token, trust_bundle_path, insecure_bootstrap, log_level, health_checks, workload_attestors)")]
    [InlineData("""{"agent":{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d"},"telemetry":{}}""", "unknown setting \"telemetry\" (known: agent, health_checks)")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","health_checks":{"listener_enabled":true}}""", "health_checks: unknown setting \"listener_enabled\" (known: bind_address, bind_port)")]
    [InlineData("""{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d","health_checks":8080}""", "health_checks must be a JSON object")]
    public void BadConfig_IsRefusedWithASpecificMessage(string json, string expected)
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentConfig.Load(json, new Hashtable()));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        if (!expected.EndsWith(": ", StringComparison.Ordinal))
        {
            Assert.Equal(expected, e.Message);
        }
    }

    [Fact]
    public void MissingFile_SaysWhichFile()
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentConfig.LoadFile("/nonexistent/agent.json", new Hashtable()));
        Assert.StartsWith("cannot read config file \"/nonexistent/agent.json\": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthChecksAtTheTopLevel_AsInSpiresAgentConf_AreRead()
    {
        var c = AgentConfig.Load("""{"agent":{"trust_domain":"td","server_address":"a","server_port":1,"socket_path":"s","data_dir":"d"},"health_checks":{"bind_port":9999}}""", new Hashtable());
        Assert.Equal(9999, c.HealthPort);
    }

    [Fact]
    public void UnknownKeyFromTheEnvironment_IsRefusedToo()
    {
        var e = Assert.Throws<AgentConfigException>(() => AgentConfig.Load(Seed, new Hashtable { ["AGENTFABRIC_AGENT_SERVERPORT"] = "1" }));
        Assert.StartsWith("unknown setting \"serverport\" (known: ", e.Message, StringComparison.Ordinal);
    }
}
