using System.Text.Json;
using AgentFabric.Up.Tests;

namespace AgentFabric.Browser.Tests;

/// <summary>A temporary state folder for <c>agentfabric up</c> with the sample, and what the tests read from it: the
/// children's ports (<c>fabric.json</c>) and the demo login (<c>demo-user.json</c>). Disposing stops whatever up left
/// running there (a failed test may leave children, in their own sessions) and deletes the folder.</summary>
internal sealed class SampleUpState : IDisposable
{
    private readonly string _root;

    public SampleUpState(string prefix)
    {
        _root = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string StateDir => Path.Combine(_root, "state");

    public int Port(string name)
    {
        using var layout = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "fabric.json")));
        return layout.RootElement.GetProperty("ports").GetProperty(name).GetInt32();
    }

    public (string User, string Password) DemoLogin()
    {
        using var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "demo-user.json")));
        return (demo.RootElement.GetProperty("username").GetString()!, demo.RootElement.GetProperty("password").GetString()!);
    }

    public void Dispose()
    {
        if (File.Exists(Path.Combine(StateDir, "state.json")))
        {
            UpProcess.RunAsync("down", "--dir", StateDir, "--timeout", "20").GetAwaiter().GetResult();
        }

        Directory.Delete(_root, recursive: true);
    }
}
