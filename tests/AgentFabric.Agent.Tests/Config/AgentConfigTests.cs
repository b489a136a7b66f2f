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
}
