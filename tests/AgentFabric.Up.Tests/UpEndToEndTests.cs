using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace AgentFabric.Up.Tests;

/// <summary>The issue's test: <c>agentfabric up</c> started by a test, driven over HTTP, a child killed and
/// restarted, stopped with <c>down</c>, and started again on the same state (same CA, no duplicate entries). A
/// stand-in writer agent (a Perl script that listens on its port) takes the place of the sample agent not built yet, so
/// its entry by executable path and hash is registered.</summary>
public sealed class UpEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("af-up-").FullName;

    private string StateDir => Path.Combine(_root, "state");

    private string Samples => Path.Combine(_root, "samples");

    [Fact]
    public async Task Up_Status_KilledChildRestarted_Down_ThenUpAgainReusesTheState()
    {
        var writer = WriteStandInWriter();

        string bundle;
        string entries;
        using (var up = UpProcess.Start("up", "--dir", StateDir, "--samples", Samples))
        {
            await up.WaitForAsync("AgentFabric is up");
            log.WriteLine(up.Output);
            Assert.Contains("agent: join token minted for the first attestation\n", up.Output, StringComparison.Ordinal);
            Assert.Contains("server: entries: 1 created, 0 updated, 0 unchanged\n", up.Output, StringComparison.Ordinal);
            Assert.Matches(@"edge: ready in [0-9.]+ s \(http://127\.0\.0\.1:\d+/\)\n", up.Output);
            Assert.Matches(@"writer: ready in [0-9.]+ s ", up.Output);
            Assert.False(File.Exists(Path.Combine(StateDir, "join-token")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StateDir));

            // The policy server answers seed 004's rule from the shipped library.
            Assert.True(await AllowedAsync("spiffe://example.org/ns/ui/sa/frontend", "spiffe://example.org/ns/agents/sa/researcher"));
            Assert.False(await AllowedAsync("spiffe://example.org/ns/ui/sa/frontend", "spiffe://example.org/ns/agents/sa/writer"));

            var (code, status, _) = await UpProcess.RunAsync("status", "--dir", StateDir);
            Assert.True(code == 0, status);
            foreach (var child in new[] { "server", "agent", "policy", "edge", "writer" })
            {
                Assert.Matches($"│ {child} +│ \\d+ +│ ready ", status);
            }

            // The writer's entry: the stand-in's path and digest, under up's node alias.
            entries = (await AdminAsync("entry", "show", "-spiffeID", "spiffe://example.org/ns/agents/sa/writer", "-output", "json")).Trim();
            var entry = JsonNode.Parse(entries)!["entries"]!.AsArray().Single()!;
            Assert.Equal("spiffe://example.org/agentfabric/up/node", (string?)entry["parentId"]);
            var selectors = entry["selectors"]!.AsArray().Select(s => $"{s!["type"]}:{s["value"]}").ToArray();
            Assert.Contains("unix:path:" + writer, selectors);
            Assert.Contains("unix:sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(writer))), selectors);
            bundle = File.ReadAllText(Path.Combine(StateDir, "bundle.pem"));

            // A crashed child is restarted, and the restart is counted.
            var policy = Child("policy");
            using (var victim = Process.GetProcessById(policy))
            {
                victim.Kill();
            }

            await up.WaitForAsync("policy: restarted (pid ");
            Assert.Contains("policy: exited with code 137 after ", up.Output, StringComparison.Ordinal);
            await WaitAsync(async () => (await UpProcess.RunAsync("status", "--dir", StateDir)).Exit == 0, "policy ready again");
            Assert.True(await AllowedAsync("spiffe://example.org/ns/agents/sa/researcher", "spiffe://example.org/ns/agents/sa/writer"));
            Assert.NotEqual(policy, Child("policy"));

            var pids = new[] { "server", "agent", "policy" }.Select(Child).ToArray();
            var (downCode, down, _) = await UpProcess.RunAsync("down", "--dir", StateDir);
            Assert.Equal(0, downCode);
            Assert.Matches(@"^Stopped agentfabric up \(pid \d+\) and its children\.\n$", down);
            Assert.Equal(0, await up.WaitForExitAsync());
            Assert.Contains("policy: stopped (pid ", up.Output, StringComparison.Ordinal);
            Assert.Contains("AgentFabric stopped.", up.Output, StringComparison.Ordinal);
            Assert.All(pids, pid => Assert.False(File.Exists($"/proc/{pid}/stat"), $"pid {pid} still runs"));
            Assert.False(File.Exists(Path.Combine(StateDir, "state.json")));
        }

        // Again on the same state: the agent re-attests with its stored SVID (no token), the CA is the same, the
        // entry is kept as it is.
        using (var again = UpProcess.Start("up", "--dir", StateDir, "--samples", Samples))
        {
            await again.WaitForAsync("AgentFabric is up");
            log.WriteLine(again.Output);
            Assert.DoesNotContain("join token", again.Output, StringComparison.Ordinal);
            Assert.Contains("server: entries: 0 created, 0 updated, 1 unchanged\n", again.Output, StringComparison.Ordinal);
            Assert.Equal(bundle, File.ReadAllText(Path.Combine(StateDir, "bundle.pem")));
            Assert.Equal(entries, (await AdminAsync("entry", "show", "-spiffeID", "spiffe://example.org/ns/agents/sa/writer", "-output", "json")).Trim());
            Assert.Equal("2 registration entries\n", await AdminAsync("entry", "count")); // the writer and the node alias
            Assert.Equal(0, (await UpProcess.RunAsync("down", "--dir", StateDir)).Exit);
            Assert.Equal(0, await again.WaitForExitAsync());
        }
    }

    public void Dispose()
    {
        // A failed test may leave up's children (own sessions, not up's tree): stop what the state records.
        if (File.Exists(Path.Combine(StateDir, "state.json")))
        {
            UpProcess.RunAsync("down", "--dir", StateDir, "--timeout", "20").GetAwaiter().GetResult();
        }

        Directory.Delete(_root, recursive: true);
    }

    private string WriteStandInWriter()
    {
        var bin = Directory.CreateDirectory(Path.Combine(Samples, "Writer", "bin", "Release", "net10.0")).FullName;
        var path = Path.Combine(bin, "ResearchAgents.Writer");
        // Listens where up tells the writer to (ASPNETCORE_URLS), so up's TCP readiness probe sees it ready.
        File.WriteAllText(path, """
            #!/usr/bin/perl
            use IO::Socket::INET;
            my ($port) = $ENV{ASPNETCORE_URLS} =~ /:(\d+)$/ or die "no port in ASPNETCORE_URLS";
            my $server = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $port, Listen => 5, ReuseAddr => 1) or die "listen: $!";
            while (my $client = $server->accept) { close $client; }

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private int Child(string name)
    {
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "state.json")));
        return state.RootElement.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("process").GetProperty("pid").GetInt32();
    }

    private async Task<bool> AllowedAsync(string caller, string callee)
    {
        using var layout = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "fabric.json")));
        var port = layout.RootElement.GetProperty("ports").GetProperty("policy").GetInt32();
        using var http = new HttpClient();
        var input = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["caller"] = new JsonObject { ["spiffe_id"] = caller, ["trust_domain"] = "example.org" },
                ["delegation"] = new JsonArray(),
                ["action"] = "invoke",
                ["resource"] = new JsonObject { ["type"] = "agent", ["id"] = callee },
            },
        };
        using var response = await http.PostAsJsonAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/v1/data/agentfabric/examples/research/allow")), input);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!.GetValue<bool>();
    }

    private async Task<string> AdminAsync(params string[] args)
    {
        var (code, output, error) = await UpProcess.RunAsync([.. args, "-socketPath", Path.Combine(StateDir, "run", "server.sock")]);
        Assert.True(code == 0, error);
        return output;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"timed out waiting for {what}");
            await Task.Delay(500);
        }
    }
}
