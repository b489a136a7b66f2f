namespace AgentFabric.Cli.Tests.Server;

/// <summary><c>healthcheck</c> in-process: its verdict on standard output or standard error, and its exit code.</summary>
public sealed class HealthcheckCommandTests(CliServerFixture server) : IClassFixture<CliServerFixture>
{
    [Fact]
    public async Task HealthyServer_ExitZero()
    {
        Assert.Equal((0, "Server is healthy.\n", ""), await CliRun.InvokeAsync("healthcheck", "-socketPath", server.SocketPath));
    }

    [Fact]
    public async Task Verbose_SaysWhatWasChecked()
    {
        var result = await CliRun.InvokeAsync("healthcheck", "-verbose", "-socketPath", server.SocketPath);

        Assert.Equal((0, $"Server answered on {server.SocketPath} (trust domain agentvault.com, "), (result.Exit, result.Out[..(result.Out.IndexOf(',', StringComparison.Ordinal) + 2)]));
        Assert.EndsWith(" entries)\nServer is healthy.\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbsentServer_IsUnhealthyOnStandardError_ExitOne()
    {
        var result = await CliRun.InvokeAsync("healthcheck", "-socketPath", Path.Combine(server.Dir, "absent.sock"));

        Assert.Equal((1, "", $"Server is unhealthy: no socket at {Path.Combine(server.Dir, "absent.sock")}\n"), result);
    }

    [Fact]
    public async Task AgentHealthcheck_MissingWorkloadSocket_NamesThePath()
    {
        var path = Path.Combine(server.Dir, "no-agent.sock");

        Assert.Equal((1, "", $"Agent is unavailable: no socket at {path}\n"), await CliRun.InvokeAsync("agent", "healthcheck", "-socketPath", path));
    }
}
