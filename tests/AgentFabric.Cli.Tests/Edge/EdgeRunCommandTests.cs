using System.CommandLine;
using System.Text.Json;
using AgentFabric.Testing;

namespace AgentFabric.Cli.Tests.Edge;

public sealed class EdgeRunCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "af-cli-edgerun-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task RunsFromAConfigFile_ServesDiscovery_ThenExitsZeroWhenCancelled()
    {
        var port = LoopbackPorts.Next();
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "edge.json");
        await File.WriteAllTextAsync(config, $$"""{"issuer": "http://127.0.0.1:{{port}}/", "data_dir": "{{_dir}}", "lifetime_cap": "00:02:00", "routes": [{"caller": "spiffe://example.org/a", "target": "spiffe://example.org/b"}]}""");
        using var stop = new CancellationTokenSource();
        var config2 = new InvocationConfiguration { Output = new StringWriter(), Error = new StringWriter() };
        var run = Program.CreateRoot().Parse(["edge", "run", "--config", config]).InvokeAsync(config2, stop.Token);

        using var http = new HttpClient();
        string? issuer = null;
        for (var i = 0; i < 200 && issuer is null && !run.IsCompleted; i++)
        {
            try
            {
                var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/.well-known/openid-configuration")));
                issuer = doc.RootElement.GetProperty("issuer").GetString();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal($"http://127.0.0.1:{port}/", issuer);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData("""{"isuer": "http://127.0.0.1:1/"}""", "error: --config ")]
    [InlineData("""{"database": "mysql"}""", "error: --config ")]
    [InlineData("""{"lifetime_cap": "soon"}""", "error: --config ")]
    // The secret itself is never a setting: only a file or an environment variable naming it.
    [InlineData("""{"upstream": [{"name": "corp", "issuer": "https://idp.example/", "client_id": "edge", "client_secret": "s3cret"}]}""", "error: --config ")]
    [InlineData("""{"upstream": [{"name": "corp", "claims": {"subjekt": "oid"}}]}""", "error: --config ")]
    public async Task BadConfigFile_IsOneClearLine(string json, string prefix)
    {
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "edge.json");
        await File.WriteAllTextAsync(config, json);
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("edge", "run", "--config", config);
        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith(prefix + config + ": ", stderr, StringComparison.Ordinal);
        Assert.EndsWith("\n", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"upstream": [{"name": "corp", "issuer": "https://idp.example/", "client_id": "edge", "subject_mapping": "email"}]}""",
        "upstream[0]: subject_mapping \"email\" is not one of prefixed, local_user")]
    [InlineData("""{"upstream": [{"name": "corp", "issuer": "idp.example", "client_id": "edge"}]}""",
        "upstream[0]: issuer \"idp.example\" is not an absolute URL")]
    public async Task BadUpstreamSetting_NamesTheMember(string json, string expected)
    {
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "edge.json");
        await File.WriteAllTextAsync(config, json);
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("edge", "run", "--config", config);
        Assert.Equal((1, "", $"error: --config {config}: {expected}\n"), (exit, stdout, stderr));
    }

    [Theory]
    [InlineData("""{"name": "corp", "issuer": "https://idp.example/", "scopes": ["openid"]}""",
        "error: edge: upstream \"corp\": the client id is required\n")]
    [InlineData("""{"name": "corp", "issuer": "https://idp.example/", "client_id": "edge", "client_secret_env": "AF_CLI_TEST_UNSET_9C1D"}""",
        "error: edge: upstream \"corp\": the environment variable AF_CLI_TEST_UNSET_9C1D holding the client secret is not set\n")]
    public async Task MisconfiguredUpstream_StopsTheEdgeAtStart(string upstream, string expected)
    {
        Directory.CreateDirectory(_dir);
        var config = Path.Combine(_dir, "edge.json");
        await File.WriteAllTextAsync(config, $$"""{"issuer": "http://127.0.0.1:{{LoopbackPorts.Next()}}/", "data_dir": "{{_dir}}", "upstream": [{{upstream}}]}""");
        var (exit, stdout, stderr) = await CliRun.InvokeAsync("edge", "run", "--config", config);
        Assert.Equal((1, "", expected), (exit, stdout, stderr));
    }
}
