using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentFabric.Authorization;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>
/// The SDK's server-side cost per request, without network or TLS: the same GET through the whole ASP.NET Core
/// pipeline (<see cref="CapturedPipeline"/>) of an app without the SDK (baseline), of the SDK app on an endpoint
/// without requirement (authentication of the mTLS peer only), and on the hop's endpoint (peer, exchanged token
/// verified — signature cached, lifetime, audience and actor checked per request — and an embedded Rego decision);
/// and, to tell the framework's share from the SDK's, ASP.NET Core's authentication and authorization around a
/// handler and a requirement that do nothing. The connection's verified peer is what <c>UseSpiffeMtls</c>'s handshake
/// leaves on it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(SlowMachineConfig))]
public class PipelineBenchmarks
{
    private static readonly Uri s_issuer = new("https://edge.example/");
    private readonly BenchEdge _edge = new();
    private readonly SpiffePeerFeature _peer = new();
    private WebApplication _plainApp = null!;
    private WebApplication _sdkApp = null!;
    private WebApplication _floorApp = null!;
    private CapturedPipeline _plain = null!;
    private CapturedPipeline _floor = null!;
    private CapturedPipeline _sdk = null!;
    private string _authorization = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var pki = new BenchPki();
        var caller = pki.Svid("/agents/frontend");
        _peer.Accept(caller.Id, caller.Certificates[0]);
        _authorization = "Bearer " + _edge.Token(s_issuer);

        (_plainApp, _plain) = Build(_ => { });
        _plainApp.MapGet("/hop", () => "ok");
        await _plainApp.StartAsync();

        // What ASP.NET Core's authentication and authorization cost on their own: a scheme whose handler answers a
        // ready principal, and a requirement that always holds, with the SDK's policy shape (explicit scheme).
        (_floorApp, _floor) = Build(services =>
        {
            services.AddAuthentication(StaticPrincipalHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, StaticPrincipalHandler>(StaticPrincipalHandler.SchemeName, null);
            services.AddAuthorization();
        });
        _floorApp.MapGet("/hop", () => "ok").RequireAuthorization(p => p
            .AddAuthenticationSchemes(StaticPrincipalHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(_ => true));
        await _floorApp.StartAsync();

        (_sdkApp, _sdk) = Build(services =>
        {
            services.AddSpiffeWorkload(o =>
            {
                o.UseSources(pki.Svid("/agents/researcher"), pki.Bundle);
                o.EdgeIssuer = s_issuer;
            });
            services.AddPolicyDecisionPoint(o => o.Mode = PolicyDecisionPointMode.Embedded);
            // The edge's metadata from memory: this benchmark measures the pipeline, not the one fetch of the JWKS.
            services.AddHttpClient(EdgeMetadata.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StaticEdge(_edge));
        });
        BenchEdge.ActivatePolicy(_sdkApp.Services);
        _sdkApp.MapGet("/hop", () => "ok").RequireAuthorization(p => p.RequireRegoDecision(BenchEdge.DecisionPath));
        _sdkApp.MapGet("/open", () => "ok");
        await _sdkApp.StartAsync();

        foreach (var (pipeline, path, token) in new[] { (_plain, "/hop", false), (_floor, "/hop", false), (_sdk, "/open", false), (_sdk, "/hop", true) })
        {
            var status = await StatusAsync(pipeline, path, token);
            if (status != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"{path} answered {status}");
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _sdkApp.DisposeAsync();
        await _floorApp.DisposeAsync();
        await _plainApp.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "pipeline without the SDK")]
    public Task<int> Plain() => StatusAsync(_plain, "/hop", token: false);

    [Benchmark(Description = "framework floor: no-op scheme + always-true requirement")]
    public Task<int> FrameworkFloor() => StatusAsync(_floor, "/hop", token: false);

    [Benchmark(Description = "SDK: mTLS peer authenticated")]
    public Task<int> PeerOnly() => StatusAsync(_sdk, "/open", token: false);

    [Benchmark(Description = "SDK: peer + exchanged token + Rego")]
    public Task<int> Hop() => StatusAsync(_sdk, "/hop", token: true);

    private async Task<int> StatusAsync(CapturedPipeline pipeline, string path, bool token)
    {
        var request = new HttpRequestFeature { Method = "GET", Scheme = "https", Protocol = "HTTP/1.1", Path = path };
        request.Headers.Host = "127.0.0.1";
        if (token)
        {
            request.Headers.Authorization = _authorization;
        }

        var response = new HttpResponseFeature();
        var features = new FeatureCollection(8); // sized as Kestrel's per-connection features are, so Set does not resize
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<ISpiffePeerFeature>(_peer);
        await pipeline.ProcessAsync(features);
        return response.StatusCode;
    }

    private static (WebApplication App, CapturedPipeline Pipeline) Build(Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var pipeline = new CapturedPipeline();
        builder.Services.AddSingleton<IServer>(pipeline);
        services(builder.Services);
        return (builder.Build(), pipeline);
    }

    /// <summary>Authenticates every request as the same caller, doing nothing else.</summary>
    private sealed class StaticPrincipalHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Static";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", BenchEdge.Caller)], SchemeName)), SchemeName)));
    }

    /// <summary>The edge's discovery document and JWKS, answered from memory.</summary>
    private sealed class StaticEdge(BenchEdge edge) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(request.RequestUri!.AbsolutePath.EndsWith("/jwks", StringComparison.Ordinal) ? edge.Jwks() : BenchEdge.Discovery(s_issuer)),
            });
    }
}
