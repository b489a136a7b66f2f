using AgentFabric.Agent.Tests.Infrastructure;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary><c>agentfabric agent run</c> (the built CLI) refusing bad workload attestor settings, from the file and
/// from the environment, before it contacts anything.</summary>
public sealed class AgentRunConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("af-agentconf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string attestors)
    {
        string path = Path.Combine(_dir, "agent.json");
        File.WriteAllText(path, $$"""
            { "agent": { "trust_domain": "example.org", "server_address": "127.0.0.1", "server_port": 1,
              "socket_path": "{{Path.Combine(_dir, "api.sock")}}", "data_dir": "{{Path.Combine(_dir, "data")}}"{{attestors}} } }
            """);
        return path;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(string config, params string[] environment) =>
        ExternalProcess.RunAsync("env", [.. environment, "dotnet", Path.Combine(AppContext.BaseDirectory, "agentfabric.dll"), "agent", "run", "-config", config], TimeSpan.FromSeconds(30));

    [Fact]
    public async Task UnknownAttestorInTheFile()
    {
        var (code, _, error) = await RunAsync(Config(""", "workload_attestors": { "unix": {}, "systemd": {} }"""));
        Assert.Equal((1, "Error: workload_attestors: unknown attestor \"systemd\" (known: unix, docker, k8s)\n"), (code, error));
    }

    [Fact]
    public async Task BadDockerSocketFromTheEnvironment()
    {
        var (code, _, error) = await RunAsync(Config(""), "AGENTFABRIC_AGENT_WORKLOAD_ATTESTORS__DOCKER__DOCKER_SOCKET_PATH=tcp://127.0.0.1:2375");
        Assert.Equal(
            (1, "Error: workload_attestors.docker.docker_socket_path \"tcp://127.0.0.1:2375\" is not a Unix socket: write unix:///absolute/path or /absolute/path\n"),
            (code, error));
    }
}
