using System.Net;
using AgentFabric.AspNetCore;
using AgentFabric.AspNetCore.Tests;
using AgentFabric.Authorization;
using AgentFabric.Authorization.Bundles;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Exchange;
using AgentFabric.Edge.Tests.Exchange;
using AgentFabric.Rego;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResearchAgents.Frontend;
using ResearchAgents.Hosting;
using ResearchAgents.Providers.Offline;
using ResearchAgents.Researcher;
using ResearchAgents.Writer;

namespace ResearchAgents.Tests;

/// <summary>
/// The whole sample in one process: a real edge (OIDC provider and token exchange, the routes frontend → researcher
/// → writer only, the public client research-frontend, the user demo), the three agents built as their Program.cs
/// builds them but with static SVIDs of one test CA (<c>o.UseSources</c>) and the sample's Rego decided by an embedded
/// engine over the data.agentfabric library. All share the edge's clock.
/// </summary>
internal sealed class ResearchAgentsUnderTest : IAsyncDisposable
{
    public const string UserName = "demo";
    public const string Password = "correct horse battery staple";

    private readonly List<WebApplication> _apps = [];

    private ResearchAgentsUnderTest(ExchangeEdge edge, TestPki pki, AgentIds ids)
    {
        Edge = edge;
        Pki = pki;
        Ids = ids;
    }

    public ExchangeEdge Edge { get; }

    public TestPki Pki { get; }

    public AgentIds Ids { get; }

    public Uri FrontendUrl { get; private set; } = null!;

    public Uri ResearcherUrl { get; private set; } = null!;

    public Uri WriterUrl { get; private set; } = null!;

    public static async Task<ResearchAgentsUnderTest> StartAsync()
    {
        var ids = new AgentIds(TrustDomain.Parse("example.org"));
        var frontendPort = LoopbackPorts.Next();
        var edge = new ExchangeEdge(o =>
        {
            o.SpiffeClients.Add("spiffe://example.org/ns/*");
            o.ExchangeRoutes.Add(new ExchangeRoute(ids.Frontend.ToString(), ids.Researcher.ToString()));
            o.ExchangeRoutes.Add(new ExchangeRoute(ids.Researcher.ToString(), ids.Writer.ToString()));
        });
        await edge.InitializeAsync();
        await edge.Edge.AddUserAsync(UserName, Password);
        await edge.Edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = "research-frontend",
            RedirectUris = [new Uri($"http://127.0.0.1:{frontendPort}/signin-oidc")],
            PostLogoutRedirectUris = [new Uri($"http://127.0.0.1:{frontendPort}/signout-callback-oidc")],
            Scopes = ["profile", "offline_access"],
        });
        var agents = new ResearchAgentsUnderTest(edge, new TestPki("example.org", edge.Clock.GetUtcNow()), ids);
        agents.FrontendUrl = new Uri($"http://127.0.0.1:{frontendPort}/");
        agents.ResearcherUrl = new Uri($"https://127.0.0.1:{LoopbackPorts.Next()}/");
        agents.WriterUrl = new Uri($"https://127.0.0.1:{LoopbackPorts.Next()}/");
        await agents.StartAgentsAsync();
        return agents;
    }

    /// <summary>A browser: keeps cookies, does not follow redirects (the test follows them), edge-relative paths.</summary>
    public HttpClient NewBrowser() => Edge.Edge.NewBrowser();

    /// <summary>An mTLS client presenting <paramref name="agent"/>'s SVID to <paramref name="target"/>.</summary>
    public HttpClient AgentClient(SpiffeId agent, Uri target)
    {
        var svid = Svid(agent);
        var ssl = AgentFabric.Spiffe.Tls.SpiffeTls.CreateMtlsClientOptions(svid, new X509BundleSet(Pki.Bundle),
            AgentFabric.Spiffe.Tls.SpiffeAuthorizer.Any(), Edge.Clock);
        return new HttpClient(new SocketsHttpHandler { SslOptions = ssl }) { BaseAddress = target };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Pki.Dispose();
        await Edge.DisposeAsync();
    }

    private AgentFabric.Spiffe.Svid.X509.X509Svid Svid(SpiffeId id) =>
        Pki.Svid(id.Path, Edge.Clock.GetUtcNow().AddMinutes(-1), Edge.Clock.GetUtcNow().AddHours(1));

    private async Task StartAgentsAsync()
    {
        var policy = SamplePolicy(Edge.Clock);
        var writer = Builder(WriterUrl, policy);
        writer.AddResearchAgent(Options(Ids.Writer));
        writer.Services.AddOfflineProviders();
        await StartAsync(writer, app => app.MapWriter());

        var researcher = Builder(ResearcherUrl, policy);
        var settings = researcher.AddResearchAgent(Options(Ids.Researcher));
        researcher.Services.AddResearcherClients(settings);
        researcher.Services.AddOfflineProviders();
        await StartAsync(researcher, app => app.MapResearcher());

        var frontend = Builder(FrontendUrl, policy);
        frontend.WebHost.UseUrls(FrontendUrl.ToString().TrimEnd('/'));
        var frontendSettings = frontend.AddResearchAgent(Options(Ids.Frontend, serveMtls: false));
        frontend.Services.AddFrontendSignIn(frontendSettings);
        ResearchCalls.AddResearchCalls(frontend.Services, frontendSettings);
        await StartAsync(frontend, app => app.MapFrontend());
    }

    private WebApplicationBuilder Builder(Uri url, IPolicyDecisionPoint policy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AgentSettings.TrustDomainKey] = "example.org",
            [AgentSettings.PolicyUrlKey] = "http://127.0.0.1:1/", // unused: the embedded engine below decides
            [AgentSettings.EdgeUrlKey] = Edge.Issuer.ToString(),
            [AgentSettings.ResearcherUrlKey] = ResearcherUrl.ToString(),
            [AgentSettings.WriterUrlKey] = WriterUrl.ToString(),
            [AgentSettings.UrlsKey] = url.ToString(),
        });
        builder.Services.AddSingleton<TimeProvider>(Edge.Clock);
        builder.Services.AddSingleton(policy);
        return builder;
    }

    private ResearchAgentOptions Options(SpiffeId id, bool serveMtls = true) => new()
    {
        ServeMtls = serveMtls,
        Workload = o => o.UseSources(Svid(id), new X509BundleSet(Pki.Bundle), new JtiMintingJwtSvidSource(id, Edge.TrustedSigner, Edge.Clock)),
    };

    private async Task StartAsync(WebApplicationBuilder builder, Action<WebApplication> map)
    {
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        map(app);
        await app.StartAsync();
        _apps.Add(app);
    }

    /// <summary>The data.agentfabric library and the sample's policy files as one bundle, decided in-process.</summary>
    private static IPolicyDecisionPoint SamplePolicy(TimeProvider time)
    {
        var files = AgentFabricPolicyLibrary.ReadFiles();
        foreach (var path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "policy"), "*.rego"))
        {
            files.Add("/samples/" + Path.GetFileName(path), File.ReadAllBytes(path));
        }

        var activator = new BundleActivator(new RegoEngine(new RegoEngineOptions { TimeProvider = time }), time);
        var activation = activator.Activate(PolicyBundle.Load(AgentFabricPolicyLibrary.BundleName, files));
        Assert.True(activator.AreActive([AgentFabricPolicyLibrary.BundleName]), activation.ToString());
        return new EmbeddedPolicyDecisionPoint(activator.Store, time);
    }
}
