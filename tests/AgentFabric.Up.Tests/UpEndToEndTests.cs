using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace AgentFabric.Up.Tests;

/// <summary>The issue's test: <c>agentfabric up</c> started by a test, driven over HTTP, a child killed and
/// restarted, stopped with <c>down</c>, and started again on the same state (same CA, no duplicate entries, the same
/// demo login). A stand-in writer agent (a script that listens on its port) takes the place of the sample agent, so
/// its entry by executable path and hash is registered. The edge is driven as the sample's frontend drives it: the
/// demo user signs in, and a JWT-SVID from the real agent for the frontend's ID exchanges the user's token for the
/// researcher but not for the writer.</summary>
public sealed class UpEndToEndTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("af-up-").FullName;

    private string StateDir => Path.Combine(_root, "state");

    private string Samples => Path.Combine(_root, "samples");

    [Fact]
    public async Task Up_Edge_Status_KilledChildRestarted_Down_ThenUpAgainReusesTheState_ThenAnotherSvidTtl()
    {
        var writer = WriteStandInWriter();

        string bundle;
        string entries;
        string demo;
        using (var up = UpProcess.Start("up", "--dir", StateDir, "--samples", Samples))
        {
            await up.WaitForAsync("AgentFabric is up");
            log.WriteLine(up.Output);
            Assert.Contains("agent: join token minted for the first attestation\n", up.Output, StringComparison.Ordinal);
            Assert.Contains("server: entries: 2 created, 0 updated, 0 unchanged\n", up.Output, StringComparison.Ordinal); // the writer and the edge
            Assert.Contains("edge: client research-frontend registered, user demo added\n", up.Output, StringComparison.Ordinal);
            Assert.Contains("researcher: not built yet (no ", up.Output, StringComparison.Ordinal);
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

            demo = await CheckEdgeAsync(up);

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
            Assert.Contains("server: entries: 0 created, 0 updated, 2 unchanged\n", again.Output, StringComparison.Ordinal);
            Assert.Contains("edge: ready in ", again.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("edge: client", again.Output, StringComparison.Ordinal); // nothing to change in its store
            Assert.Equal(demo, File.ReadAllText(Path.Combine(StateDir, "demo-user.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(StateDir, "demo-user.json")));
            Assert.Equal(bundle, File.ReadAllText(Path.Combine(StateDir, "bundle.pem")));
            Assert.Equal(entries, (await AdminAsync("entry", "show", "-spiffeID", "spiffe://example.org/ns/agents/sa/writer", "-output", "json")).Trim());
            Assert.Equal("4 registration entries\n", await AdminAsync("entry", "count")); // the writer, the edge, the test's frontend, the node alias
            Assert.Equal(0, (await UpProcess.RunAsync("down", "--dir", StateDir)).Exit);
            Assert.Equal(0, await again.WaitForExitAsync());
        }

        // Another SVID lifetime: the same entries, updated in place with it.
        using (var shorter = UpProcess.Start("up", "--dir", StateDir, "--samples", Samples, "--svid-ttl", "60"))
        {
            await shorter.WaitForAsync("AgentFabric is up");
            Assert.Contains("server: entries: 0 created, 2 updated, 0 unchanged\n", shorter.Output, StringComparison.Ordinal);
            var updated = JsonNode.Parse(await AdminAsync("entry", "show", "-spiffeID", "spiffe://example.org/ns/agents/sa/writer", "-output", "json"))!["entries"]!.AsArray().Single()!;
            Assert.Matches("^[0-9a-f-]{36}$", (string?)updated["id"]);
            Assert.Equal((string?)JsonNode.Parse(entries)!["entries"]![0]!["id"], (string?)updated["id"]);
            Assert.Equal(60, (int)updated["x509SvidTtl"]!);
            Assert.Equal(0, (await UpProcess.RunAsync("down", "--dir", StateDir)).Exit);
            Assert.Equal(0, await shorter.WaitForExitAsync());
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

    /// <summary>The edge up started: the demo login (0600, printed), discovery, the frontend's client, a sign-in,
    /// and seed 004's routes enforced on a real exchange. Returns the demo user file's text.</summary>
    private async Task<string> CheckEdgeAsync(UpProcess up)
    {
        var demoFile = Path.Combine(StateDir, "demo-user.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(demoFile));
        var demo = File.ReadAllText(demoFile);
        var password = (string)JsonNode.Parse(demo)!["password"]!;
        Assert.Equal("demo", (string?)JsonNode.Parse(demo)!["username"]);
        Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{20}$", password);
        Assert.Contains($"; the sample's frontend is not running (see above). The edge's demo login: demo / {password}\n", up.Output, StringComparison.Ordinal);

        using var layout = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "fabric.json")));
        var ports = layout.RootElement.GetProperty("ports");
        var issuer = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports.GetProperty("edge").GetInt32()}/"));
        var frontendUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ports.GetProperty("frontend").GetInt32()}/"));
        using (var http = new HttpClient())
        {
            var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(issuer, ".well-known/openid-configuration")))!;
            Assert.Equal(issuer.ToString(), (string?)discovery["issuer"]);
        }


        // The frontend's identity for processes of the dotnet muxer this user runs (as up runs the CLI here), so the
        // CLI fetches a JWT-SVID for it from the real agent.
        var muxer = File.ResolveLinkTarget(string.Create(CultureInfo.InvariantCulture, $"/proc/{Child("server")}/exe"), returnFinalTarget: false)!.FullName;
        var uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        await AdminAsync("entry", "create", "-parentID", "spiffe://example.org/agentfabric/up/node", "-spiffeID", Frontend,
            "-selector", "unix:uid:" + uid, "-selector", "unix:path:" + muxer);

        // The sign-in shows the client (public, its redirect URI, PKCE S256) and the demo user are in the edge's store.
        using var edge = new SampleEdgeClient(issuer, frontendUrl);
        var userToken = await edge.SignInAsync("demo", password);

        // Two assertions (each jti is accepted once), by the two audiences the edge accepts: its issuer and its token endpoint.
        var allowed = await edge.ExchangeAsync(await FetchJwtSvidAsync(issuer.ToString()), userToken, Researcher);
        Assert.True(allowed.Status == System.Net.HttpStatusCode.OK, allowed.Body.ToJsonString());
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", (string?)allowed.Body["issued_token_type"]);

        var refused = await edge.ExchangeAsync(await FetchJwtSvidAsync(new Uri(issuer, "connect/token").ToString()), userToken, Writer);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_target", (string?)refused.Body["error"]);
        Assert.StartsWith($"The policy does not let {Frontend} obtain a token for {Writer} (decision ", (string?)refused.Body["error_description"], StringComparison.Ordinal);
        return demo;
    }

    private const string Frontend = "spiffe://example.org/ns/ui/sa/frontend";
    private const string Researcher = "spiffe://example.org/ns/agents/sa/researcher";
    private const string Writer = "spiffe://example.org/ns/agents/sa/writer";

    /// <summary>A JWT-SVID for the frontend's ID from the agent, once it has synced the entry (retried for 60 s).</summary>
    private async Task<string> FetchJwtSvidAsync(string audience)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (code, output, error) = await UpProcess.RunAsync("api", "fetch", "jwt", "-audience", audience, "-spiffeID", Frontend, "-socketPath", Path.Combine(StateDir, "run", "agent.sock"));
            var token = Regex.Match(output, $"token\\({Regex.Escape(Frontend)}\\):\n\t(\\S+)");
            if (code == 0 && token.Success)
            {
                return token.Groups[1].Value;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"no JWT-SVID for {Frontend}: {output}{error}");
            await Task.Delay(1000);
        }
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
