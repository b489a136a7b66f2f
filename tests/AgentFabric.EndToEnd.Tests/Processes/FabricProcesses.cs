using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AgentFabric.Agent.Tests.Infrastructure;
using AgentFabric.Testing;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>
/// Real processes: <c>agentfabric server run</c> and <c>agentfabric agent run</c> (the built CLI), in a temp dir, on
/// 127.0.0.1 ports and Unix sockets; the agent trusts the server from the bundle file the admin CLI exported.
/// </summary>
public sealed class FabricProcesses : IAsyncLifetime
{
    public const string NodeId = "spiffe://example.org/node-e2e";

    /// <summary>The end-to-end classes run one after another: their timing checks should not share two cores with
    /// another server and agent.</summary>
    public const string Collection = "fabric processes";

    private readonly StringBuilder _serverLog = new();
    private readonly StringBuilder _agentLog = new();
    private Process? _server;
    private Process? _agent;

    public string Dir { get; } = Directory.CreateTempSubdirectory("af-e2e-").FullName;

    public string AdminSocket => Path.Combine(Dir, "srv", "api.sock");

    public string AgentSocket => Path.Combine(Dir, "agent", "api.sock");

    public int AgentHealthPort { get; } = FreePort();

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "agentfabric.dll");

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(Dir, "server.json"), $$"""
            { "trust_domain": "example.org", "bind_address": "127.0.0.1", "bind_port": {{FreePort()}},
              "socket_path": "{{AdminSocket}}", "data_dir": "{{Path.Combine(Dir, "sdata")}}",
              "health_checks": { "bind_address": "127.0.0.1", "bind_port": {{FreePort()}} } }
            """);
        await StartServerAsync();
        var token = JsonDocument.Parse(await AdminAsync("token", "generate", "-spiffeID", NodeId, "-output", "json")).RootElement.GetProperty("value").GetString()!;
        File.WriteAllText(Path.Combine(Dir, "bundle.pem"), await AdminAsync("bundle", "show", "-format", "pem"));
        var serverPort = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "server.json"))).RootElement.GetProperty("bind_port").GetInt32();
        File.WriteAllText(Path.Combine(Dir, "agent.json"), $$"""
            { "agent": { "trust_domain": "example.org", "server_address": "127.0.0.1", "server_port": {{serverPort}},
              "socket_path": "{{AgentSocket}}", "data_dir": "{{Path.Combine(Dir, "adata")}}", "join_token": "{{token}}",
              "trust_bundle_path": "{{Path.Combine(Dir, "bundle.pem")}}", "log_level": "DEBUG",
              "health_checks": { "bind_port": {{AgentHealthPort}} } } }
            """);
        _agent = Start(["agent", "run", "-config", Path.Combine(Dir, "agent.json")], _agentLog);
        await WaitAsync(async () => (await HealthAsync("ready")).Status == HttpStatusCode.OK, "agent ready", _agentLog);
    }

    /// <summary>Kills the agent and starts it again with the same config (its token is spent by now) and
    /// <paramref name="extraArgs"/> on the command line.</summary>
    public async Task RestartAgentAsync(params string[] extraArgs)
    {
        _agent!.Kill(entireProcessTree: true);
        await _agent.WaitForExitAsync();
        _agent.Dispose();
        _agent = Start(["agent", "run", "-config", Path.Combine(Dir, "agent.json"), .. extraArgs], _agentLog);
        await WaitAsync(async () => (await HealthAsync("ready")).Status == HttpStatusCode.OK, "agent ready after restart", _agentLog);
    }

    public async Task StartServerAsync()
    {
        _server = Start(["server", "run", "-config", Path.Combine(Dir, "server.json")], _serverLog);
        await WaitAsync(async () => (await RunCliAsync("entry", "count", "-socketPath", AdminSocket)).ExitCode == 0, "server admin socket", _serverLog);
    }

    public async Task KillServerAsync()
    {
        _server!.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
        _server = null;
    }

    /// <summary>Runs an admin command against the server; fails the test on a non-zero exit.</summary>
    public async Task<string> AdminAsync(params string[] args)
    {
        var (code, output, error) = await RunCliAsync([.. args, "-socketPath", AdminSocket]);
        Assert.True(code == 0, $"agentfabric {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    public static Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args) =>
        ExternalProcess.RunAsync("dotnet", [Cli, .. args], TimeSpan.FromSeconds(30));

    public async Task<(HttpStatusCode Status, string Body)> HealthAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{AgentHealthPort}/{path}")));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    public string AgentLog
    {
        get
        {
            lock (_agentLog)
            {
                return _agentLog.ToString();
            }
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, StringBuilder? log = null, double seconds = 20)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                string text;
                lock (log ?? new StringBuilder())
                {
                    text = log?.ToString() ?? "";
                }

                Assert.Fail($"timed out waiting for {what}; log:\n{text}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var p in new[] { _agent, _server })
        {
            if (p is not null && !p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }

            p?.Dispose();
        }

        Directory.Delete(Dir, recursive: true);
    }

    private static Process Start(string[] args, StringBuilder log)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort() => LoopbackPorts.Next();
}
