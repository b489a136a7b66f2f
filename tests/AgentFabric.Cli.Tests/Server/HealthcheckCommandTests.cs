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

        Assert.Equal((1, ""), (result.Exit, result.Out));
        Assert.StartsWith("Server is unhealthy: ", result.Err, StringComparison.Ordinal);
        Assert.EndsWith("\n", result.Err, StringComparison.Ordinal);
    }
}
