using System.Collections;
using System.Diagnostics;
using AgentFabric.Server.Config;
using AgentFabric.Server.Hosting;
using AgentFabric.Testing;

namespace AgentFabric.Cli.Tests.Server;

/// <summary>A real identity server on loopback and a Unix socket in a temp dir, and a way to run the real
/// <c>agentfabric</c> binary against it.</summary>
public sealed class CliServerFixture : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine("/tmp", "afc-" + Guid.NewGuid().ToString("N")[..10]);

    public string SocketPath => Path.Combine(Dir, "sock", "api.sock");

    public ServerHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        var json = $$"""
            {
              "server": {
                "trust_domain": "agentvault.com",
                "bind_address": "127.0.0.1",
                "bind_port": {{FreePort()}},
                "socket_path": "{{SocketPath}}",
                "data_dir": "{{Path.Combine(Dir, "data")}}",
                "health_checks": { "listener_enabled": false }
              }
            }
            """;
        Host = await ServerHost.StartAsync(ServerConfigLoader.Load(json, new Hashtable()), _ => { });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    public static int FreePort() => LoopbackPorts.Next();

    /// <summary>Runs <c>agentfabric args...</c> (the built binary) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "agentfabric.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs an admin command with this server's socket appended.</summary>
    public Task<(int Code, string Out, string Err)> AdminAsync(params string[] args) => RunAsync([.. args, "-socketPath", SocketPath]);
}
