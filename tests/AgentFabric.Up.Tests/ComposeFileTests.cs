using AgentFabric.Agent.Config;
using AgentFabric.Server.Config;
using YamlDotNet.RepresentationModel;

namespace AgentFabric.Up.Tests;

/// <summary>deploy/docker-compose.yml (docker does not run here): it parses, every file it mounts or builds from
/// exists, the configurations load with the server's and the agent's own loaders, and the entries use seed 004's
/// label selectors.</summary>
public sealed class ComposeFileTests
{
    private static readonly string s_deploy = FindDeploy();

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(s_deploy, "docker-compose.yml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("spiffe-spire-demo", ((YamlScalarNode)root["name"]).Value); // com.docker.compose.project
        return (YamlMappingNode)root["services"];
    }

    [Fact]
    public void Services_AreSeed004s_PlusTheFabric()
    {
        Assert.Equal(["server", "bootstrap", "agent", "policy", "writer", "researcher", "frontend"], Services().Children.Keys.Select(k => ((YamlScalarNode)k).Value!));
    }

    [Fact]
    public void EveryMountedFileAndDockerfile_Exists()
    {
        var checkedPaths = 0;
        foreach (var (_, service) in Services().Children)
        {
            var map = (YamlMappingNode)service;
            if (map.Children.TryGetValue("volumes", out var volumes))
            {
                foreach (var volume in ((YamlSequenceNode)volumes).Children.Select(v => ((YamlScalarNode)v).Value!))
                {
                    var source = volume.Split(':')[0];
                    if (source.StartsWith('.'))
                    {
                        Assert.True(Path.Exists(Path.Combine(s_deploy, source)), $"{volume}: no {source}");
                        checkedPaths++;
                    }
                }
            }

            var build = (YamlMappingNode)map["build"];
            var dockerfile = Path.Combine(s_deploy, ((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!);
            Assert.True(File.Exists(dockerfile), dockerfile);
        }

        Assert.Equal(4, checkedPaths);
    }

    [Fact]
    public void Configs_LoadWithTheProductsLoaders_AndTheAgentRunsTheDockerAttestor()
    {
        var server = ServerConfigLoader.LoadFile(Path.Combine(s_deploy, "config", "server.json"));
        Assert.Equal("example.org", server.TrustDomain.Name);
        var agent = AgentConfig.LoadFile(Path.Combine(s_deploy, "config", "agent.json"));
        Assert.Equal("/run/agentfabric-agent/api.sock", agent.SocketPath);
        Assert.Contains("\"docker\"", File.ReadAllText(Path.Combine(s_deploy, "config", "agent.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frontend", "spiffe://example.org/ns/ui/sa/frontend")]
    [InlineData("researcher", "spiffe://example.org/ns/agents/sa/researcher")]
    [InlineData("writer", "spiffe://example.org/ns/agents/sa/writer")]
    public void Bootstrap_RegistersEachAgentByItsComposeLabels(string service, string spiffeId)
    {
        var script = File.ReadAllText(Path.Combine(s_deploy, "bootstrap.sh"));
        Assert.Contains($"register {service} {spiffeId}\n", script, StringComparison.Ordinal);
        Assert.Contains("-selector docker:label:com.docker.compose.project:spiffe-spire-demo", script, StringComparison.Ordinal);
        Assert.Contains("-selector \"docker:label:com.docker.compose.service:$1\"", script, StringComparison.Ordinal);
    }

    private static string FindDeploy()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "docker-compose.yml")))
            {
                return Path.Combine(dir.FullName, "deploy");
            }
        }

        throw new InvalidOperationException("deploy/docker-compose.yml not found above " + AppContext.BaseDirectory);
    }
}
