using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFabric.Up.Tests;
using Xunit.Abstractions;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// Issue #16's rotation test through the whole sample: <c>agentfabric up --svid-ttl 30</c> with the research agents,
/// the demo user signed in at the frontend (over HTTP, as a browser would), then questions asked without pause from
/// two lanes for 65 s while the agent re-issues every workload's SVID (30 s lifetime, renewed at half life). Every
/// answer must come back through all three hops, each allowed, with zero failures, while the researcher's and the
/// writer's serving certificates (read from their TLS handshakes) change at least twice.
/// </summary>
[Collection(LoadTestCollection.Name)]
public sealed partial class ResearchSampleRotationTests(ITestOutputHelper log) : IDisposable
{
    private const int SvidTtlSeconds = 30;
    private static readonly TimeSpan s_load = TimeSpan.FromSeconds(65);

    private readonly SampleUpState _state = new("af-rotation-");

    private string StateDir => _state.StateDir;

    [SampleBuiltFact]
    public async Task ThreeHops_KeepAnswering_AcrossTwoSvidRotations()
    {
        using var up = UpProcess.Start("up", "--dir", StateDir, "--samples", RepositoryPaths.Samples, "--svid-ttl", SvidTtlSeconds.ToString(CultureInfo.InvariantCulture));
        await up.WaitForAsync("AgentFabric is up", seconds: 600);
        log.WriteLine(up.Output);

        var entry = JsonNode.Parse(await AdminAsync("entry", "show", "-spiffeID", "spiffe://example.org/ns/agents/sa/writer", "-output", "json"))!["entries"]!.AsArray().Single()!;
        Assert.Equal(SvidTtlSeconds, (int)entry["x509SvidTtl"]!);

        using var session = new FrontendSession(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port("frontend")}/")));
        await session.SignInAsync(DemoLogin());

        using var stop = new CancellationTokenSource(s_load);
        var serials = new Dictionary<string, ConcurrentDictionary<string, TimeSpan>>
        {
            ["researcher"] = new(),
            ["writer"] = new(),
        };
        var watch = Stopwatch.StartNew();
        var probe = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (agent, seen) in serials)
                {
                    var certificate = await ServerCertificateAsync(Port(agent));
                    seen.TryAdd(certificate.SerialNumber, watch.Elapsed);
                    // The lifetime up asked for (the server backdates notBefore by 10 s).
                    Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromSeconds(SvidTtlSeconds), TimeSpan.FromSeconds(SvidTtlSeconds + 11));
                }

                await Task.Delay(500, CancellationToken.None);
            }
        });

        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        var lanes = Enumerable.Range(0, 2).Select(lane => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var (status, page) = await session.AskAsync($"How does a workload get its SPIFFE ID? ({lane}.{i})");
                var hops = HopRow().Matches(page).Select(m => m.Groups[1].Value).ToArray();
                if (status == HttpStatusCode.OK && hops is ["allow", "allow", "allow"] && page.Contains("id=\"answer\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref answered);
                }
                else
                {
                    failures.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{watch.Elapsed.TotalSeconds:0.0} s: {(int)status}, hops [{string.Join(", ", hops)}]: {Excerpt(page)}"));
                }
            }
        })).ToArray();
        await Task.WhenAll(lanes);
        await probe;

        foreach (var (agent, seen) in serials)
        {
            log.WriteLine($"{agent}: {seen.Count} serving certificates: " + string.Join(", ", seen.OrderBy(s => s.Value).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} from {s.Value.TotalSeconds:0.0} s"))));
        }

        log.WriteLine($"{answered} answers through three hops in {s_load.TotalSeconds} s, {failures.Count} failures");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.True(answered >= 20, $"only {answered} answers in {s_load.TotalSeconds} s");
        Assert.All(serials, s => Assert.True(s.Value.Count >= 3, $"{s.Key} served {s.Value.Count} certificates (two rotations need three)"));

        var (code, down, error) = await UpProcess.RunAsync("down", "--dir", StateDir);
        Assert.True(code == 0, down + error);
        Assert.Equal(0, await up.WaitForExitAsync());
    }

    public void Dispose() => _state.Dispose();

    /// <summary>The certificate an agent serves, read from a TLS handshake the test abandons once it has it (the
    /// agent asks for a client certificate this probe does not have).</summary>
    private static async Task<X509Certificate2> ServerCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        X509Certificate2? seen = null;
        using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return false;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            // Expected: the probe refuses the handshake after reading the certificate.
        }

        return seen ?? throw new InvalidOperationException($"no certificate from 127.0.0.1:{port}");
    }

    private static string Excerpt(string page)
    {
        var text = Regex.Replace(page, "<[^>]+>", " ");
        text = Regex.Replace(WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
        return text.Length <= 400 ? text : text[..400];
    }

    private int Port(string name) => _state.Port(name);

    private (string User, string Password) DemoLogin() => _state.DemoLogin();

    private async Task<string> AdminAsync(params string[] args)
    {
        var (code, output, error) = await UpProcess.RunAsync([.. args, "-socketPath", Path.Combine(StateDir, "run", "server.sock")]);
        Assert.True(code == 0, error);
        return output;
    }

    [GeneratedRegex("<tr class=\"hop\" data-decision=\"([^\"]*)\">")]
    private static partial Regex HopRow();
}
