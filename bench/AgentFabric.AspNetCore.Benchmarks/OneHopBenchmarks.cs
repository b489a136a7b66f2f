using System.Net;
using AgentFabric.Authorization;
using AgentFabric.Spiffe.Tls;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>
/// One hop, keep-alive, in one run: the baseline is a GET over server-authenticated TLS with no checks; the SDK hop is
/// the same GET over SPIFFE mTLS with an exchanged token verified (signature, audience, act = caller, on every
/// request) and an embedded Rego decision; "mTLS only" is the same GET over SPIFFE mTLS to an endpoint without a
/// requirement and without a token (what the connection itself costs); for comparison, ASP.NET Core's own JwtBearer
/// handler verifying the same token and a claims policy. Goals (issue #16): ≤ 10 % added latency at p50 (Latency: the
/// Median column; <c>latency N</c> gives the median request), mTLS request throughput ≥ 85 % of the baseline (Throughput: 8 requests in flight,
/// 64 per operation, so the time per request is the inverse of requests/s). Same HTTP version (1.1, exact), same
/// response, keep-alive on every client; TLS 1.3 without resumption on both servers. The token issuer's discovery
/// document and JWKS are served by the baseline app (the edge's keys, without the edge's database).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(SlowMachineConfig))]
public class OneHopBenchmarks
{
    private const int Concurrency = 8;
    private const int RequestsPerOperation = 64;

    private readonly BenchEdge _edge = new();
    private WebApplication _plain = null!;
    private WebApplication _spiffe = null!;
    private HttpClient _plainClient = null!;
    private HttpClient _spiffeClient = null!;
    private HttpClient _mtlsClient = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var pki = new BenchPki();
        var server = pki.Svid("/agents/researcher");
        var plainPort = FreePort();
        var spiffePort = FreePort();
        var issuer = new Uri($"https://127.0.0.1:{plainPort}/");

        // Baseline: TLS with the server's certificate only, no client certificate, no checks; also serves the issuer.
        var plain = WebApplication.CreateSlimBuilder();
        plain.Logging.ClearProviders();
        plain.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, plainPort, l => l.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(SpiffeTls.CreateTlsServerOptions(server)),
        })));
        _plain = plain.Build();
        _plain.MapGet("/hop", () => "ok");
        _plain.MapGet("/.well-known/openid-configuration", () => Results.Text(BenchEdge.Discovery(issuer), "application/json"));
        _plain.MapGet("/jwks", () => Results.Text(_edge.Jwks(), "application/json"));
        await _plain.StartAsync();

        var sdk = WebApplication.CreateSlimBuilder();
        sdk.Logging.ClearProviders();
        sdk.WebHost.UseSpiffeMtls(new IPEndPoint(IPAddress.Loopback, spiffePort));
        sdk.Services.AddSpiffeWorkload(o =>
        {
            o.UseSources(server, pki.Bundle);
            o.EdgeIssuer = issuer;
        });
        sdk.Services.AddPolicyDecisionPoint(o => o.Mode = PolicyDecisionPointMode.Embedded);
        sdk.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = issuer.ToString();
            o.Audience = BenchEdge.Callee;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ValidTypes = ["at+jwt"];
            o.BackchannelHttpHandler = new SocketsHttpHandler { SslOptions = SpiffeTls.CreateTlsClientOptions(pki.Bundle, SpiffeAuthorizer.Any()) };
        });
        // The issuer's TLS certificate is an SVID: the metadata client verifies it by SPIFFE rules.
        sdk.Services.AddHttpClient(EdgeMetadata.HttpClientName).ConfigurePrimaryHttpMessageHandler(() =>
            new SocketsHttpHandler { SslOptions = SpiffeTls.CreateTlsClientOptions(pki.Bundle, SpiffeAuthorizer.Any()) });
        _spiffe = sdk.Build();
        BenchEdge.ActivatePolicy(_spiffe.Services);
        _spiffe.MapGet("/hop", () => "ok").RequireAuthorization(p => p.RequireRegoDecision(BenchEdge.DecisionPath));
        _spiffe.MapGet("/open", () => "ok");
        // For comparison, what ASP.NET Core offers on its own: the JwtBearer handler verifying the same token (no
        // cache: a signature check per request) and a claims policy, on the same mTLS connection.
        _spiffe.MapGet("/jwt-bearer", () => "ok").RequireAuthorization(p => p
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireClaim("sub", "alice")
            .RequireAuthenticatedUser());
        await _spiffe.StartAsync();

        _plainClient = Client(SpiffeTls.CreateTlsClientOptions(pki.Bundle, SpiffeAuthorizer.Any()), plainPort);
        _spiffeClient = Client(SpiffeTls.CreateMtlsClientOptions(pki.Svid("/agents/frontend"), pki.Bundle, SpiffeAuthorizer.Any()), spiffePort);
        _mtlsClient = Client(SpiffeTls.CreateMtlsClientOptions(pki.Svid("/agents/frontend"), pki.Bundle, SpiffeAuthorizer.Any()), spiffePort);
        _spiffeClient.DefaultRequestHeaders.Authorization = new("Bearer", _edge.Token(issuer));
        foreach (var path in new[] { "/hop", "/jwt-bearer" })
        {
            using var check = await _spiffeClient.GetAsync(new Uri(path, UriKind.Relative));
            if (check.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answered {(int)check.StatusCode} {check.Headers.WwwAuthenticate}");
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _plainClient.Dispose();
        _spiffeClient.Dispose();
        _mtlsClient.Dispose();
        await _spiffe.StopAsync();
        await _plain.StopAsync();
        await _spiffe.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "TLS, server auth only, no checks")]
    [BenchmarkCategory("Latency")]
    public Task<string> PlainTls() => _plainClient.GetStringAsync(new Uri("/hop", UriKind.Relative));

    [Benchmark(Description = "SPIFFE mTLS only")]
    [BenchmarkCategory("Latency")]
    public Task<string> MtlsOnly() => _mtlsClient.GetStringAsync(new Uri("/open", UriKind.Relative));

    [Benchmark(Description = "SPIFFE mTLS + exchanged token + Rego")]
    [BenchmarkCategory("Latency")]
    public Task<string> SpiffeHop() => _spiffeClient.GetStringAsync(new Uri("/hop", UriKind.Relative));

    [Benchmark(Description = "for comparison: SPIFFE mTLS + JwtBearer + claims policy")]
    [BenchmarkCategory("Latency")]
    public Task<string> JwtBearerHop() => _spiffeClient.GetStringAsync(new Uri("/jwt-bearer", UriKind.Relative));

    [Benchmark(Baseline = true, OperationsPerInvoke = RequestsPerOperation, Description = "TLS, server auth only, no checks, 8 in flight")]
    [BenchmarkCategory("Throughput")]
    public Task PlainTlsConcurrent() => Concurrently(_plainClient, "/hop");

    [Benchmark(OperationsPerInvoke = RequestsPerOperation, Description = "SPIFFE mTLS only, 8 in flight")]
    [BenchmarkCategory("Throughput")]
    public Task MtlsOnlyConcurrent() => Concurrently(_mtlsClient, "/open");

    [Benchmark(OperationsPerInvoke = RequestsPerOperation, Description = "SPIFFE mTLS + exchanged token + Rego, 8 in flight")]
    [BenchmarkCategory("Throughput")]
    public Task SpiffeHopConcurrent() => Concurrently(_spiffeClient, "/hop");

    // Concurrency lanes, each sending its share of the requests one after another over its kept-alive connection.
    private static Task Concurrently(HttpClient client, string path)
    {
        var lanes = new Task[Concurrency];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Lane(client, path);
        }

        return Task.WhenAll(lanes);

        static async Task Lane(HttpClient client, string path)
        {
            for (var i = 0; i < RequestsPerOperation / Concurrency; i++)
            {
                await client.GetStringAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            }
        }
    }

    private static HttpClient Client(System.Net.Security.SslClientAuthenticationOptions ssl, int port) =>
        new(new SocketsHttpHandler { SslOptions = ssl, MaxConnectionsPerServer = Concurrency })
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}/"),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
