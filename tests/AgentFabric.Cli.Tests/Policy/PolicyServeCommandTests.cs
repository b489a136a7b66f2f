using System.CommandLine;
using AgentFabric.Testing;

namespace AgentFabric.Cli.Tests.Policy;

public sealed class PolicyServeCommandTests : IDisposable
{
    private readonly PolicyCli _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(new[] { "--set", "plugins.x=1" }, "--set plugins.x: unsupported setting (supported: decision_logs.console, default_decision, plugins.envoy_ext_authz_grpc.addr, plugins.envoy_ext_authz_grpc.path)\n")]
    [InlineData(new[] { "--set", "novalue" }, "--set novalue: want key=value\n")]
    [InlineData(new[] { "--set", "decision_logs.console=maybe" }, "--set decision_logs.console=maybe: want true or false\n")]
    [InlineData(new[] { "--bundle-url", "ftp://x/b" }, "invalid URL 'ftp://x/b': want an absolute http or https URL\n")]
    [InlineData(new[] { "--authentication", "token" }, "--authentication=token needs at least one reader or admin token (--token-file, --admin-token-file)\n")]
    [InlineData(new[] { "--addr", "nohost" }, "invalid address 'nohost': want host:port\n")]
    public void BadFlagsFailBeforeListening(string[] flags, string error)
    {
        var (exit, stdout, stderr) = CliRun.Invoke(["policy", "serve", .. flags]);
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(error, stderr);
    }

    [Fact]
    public async Task ServesUntilCancelledThenExitsZero()
    {
        var policy = _cli.Write("bundle/p/p.rego", "package p\n\nallow if input.x == 1\n");
        var port = LoopbackPorts.Next();
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var config = new InvocationConfiguration { Output = output, Error = new StringWriter() };
        var run = Program.CreateRoot().Parse(["policy", "serve", "--addr", $"127.0.0.1:{port}", "-b", Path.GetDirectoryName(Path.GetDirectoryName(policy))!]).InvokeAsync(config, stop.Token);

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        string? answer = null;
        for (var i = 0; i < 100 && answer is null; i++)
        {
            try
            {
                using var response = await client.PostAsync("v1/data/p/allow", new StringContent("""{"input":{"x":1}}"""));
                answer = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal("""{"result":true}""", answer);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
