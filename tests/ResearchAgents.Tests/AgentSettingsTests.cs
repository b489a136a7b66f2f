using System.Net;
using Microsoft.Extensions.Configuration;
using ResearchAgents.Hosting;

namespace ResearchAgents.Tests;

public class AgentSettingsTests
{
    private static Dictionary<string, string?> Complete() => new()
    {
        [AgentSettings.PolicyUrlKey] = "http://127.0.0.1:8181",
        [AgentSettings.EdgeUrlKey] = "http://127.0.0.1:9000/",
        [AgentSettings.ResearcherUrlKey] = "https://127.0.0.1:9001/",
        [AgentSettings.WriterUrlKey] = "https://127.0.0.1:9002",
        [AgentSettings.UrlsKey] = "https://127.0.0.1:9002",
    };

    private static AgentSettings Read(Dictionary<string, string?> values) =>
        AgentSettings.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void Reads_TheEnvironment_WithDefaults()
    {
        var settings = Read(Complete());
        Assert.Equal("example.org", settings.TrustDomain.ToString());
        Assert.Equal("research-frontend", settings.FrontendClientId);
        Assert.Equal("http://127.0.0.1:8181/", settings.PolicyUrl.ToString());
        Assert.Equal("https://127.0.0.1:9002/", settings.WriterUrl.ToString());
        Assert.Equal("spiffe://example.org/ns/ui/sa/frontend", settings.Ids.Frontend.ToString());
        Assert.Equal("spiffe://example.org/ns/agents/sa/researcher", settings.Ids.Researcher.ToString());
        Assert.Equal("spiffe://example.org/ns/agents/sa/writer", settings.Ids.Writer.ToString());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9002), ResearchAgentHostingExtensions.ListenEndpoint(settings));
    }

    [Theory]
    [InlineData(AgentSettings.PolicyUrlKey, null, "AGENTFABRIC_POLICY_URL is not set (agentfabric up sets it; see samples/ResearchAgents/README.md)")]
    [InlineData(AgentSettings.EdgeUrlKey, "", "AGENTFABRIC_EDGE_URL is not set (agentfabric up sets it; see samples/ResearchAgents/README.md)")]
    [InlineData(AgentSettings.WriterUrlKey, "ftp://x/", "AGENTFABRIC_WRITER_URL: \"ftp://x/\" is not an absolute http(s) URL")]
    [InlineData(AgentSettings.ResearcherUrlKey, "/relative", "AGENTFABRIC_RESEARCHER_URL: \"/relative\" is not an absolute http(s) URL")]
    [InlineData(AgentSettings.TrustDomainKey, "Bad_Domain", "AGENTFABRIC_TRUST_DOMAIN: \"Bad_Domain\" is not a trust domain name: ")]
    public void Refuses_AMissingOrBadSetting_ByName(string key, string? value, string message)
    {
        var values = Complete();
        values[key] = value;
        var e = Assert.Throws<AgentSettingsException>(() => Read(values));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9002", "ASPNETCORE_URLS: \"http://127.0.0.1:9002/\" must be https://<ip>:<port> (the agent serves mutual TLS)")]
    [InlineData("https://agents.example:9002", "ASPNETCORE_URLS: \"agents.example\" is not an IP address or localhost")]
    public void ListenEndpoint_NeedsHttpsOnAnAddress(string urls, string message)
    {
        var values = Complete();
        values[AgentSettings.UrlsKey] = urls;
        var e = Assert.Throws<AgentSettingsException>(() => ResearchAgentHostingExtensions.ListenEndpoint(Read(values)));
        Assert.Equal(message, e.Message);
    }
}
