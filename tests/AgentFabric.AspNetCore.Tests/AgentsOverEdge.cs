using System.Net.Http.Json;
using System.Text.Json;
using AgentFabric.Edge.Tests.Exchange;
using AgentFabric.Spiffe;
using AgentFabric.Spiffe.Bundles.X509;
using AgentFabric.Spiffe.Svid.X509;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.AspNetCore.Tests;

/// <summary>
/// Seed 004's agents on a real edge: the researcher and the writer are real Kestrel workloads with the SDK (the
/// researcher calls the writer through a SPIFFE HttpClient), the frontend is a service provider with a SPIFFE HttpClient
/// to the researcher. All share the edge's clock, which stands still until a test moves it.
/// </summary>
internal sealed class AgentsOverEdge : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private AgentsOverEdge(ExchangeEdge edge, TestPki pki)
    {
        Edge = edge;
        Pki = pki;
    }

    public ExchangeEdge Edge { get; }

    public TestPki Pki { get; }

    public X509BundleSet Bundles => new(Pki.Bundle);

    public WorkloadUnderTest Researcher { get; private set; } = null!;

    public WorkloadUnderTest Writer { get; private set; } = null!;

    public ServiceProvider Frontend { get; private set; } = null!;

    /// <summary>Token exchanges the frontend sent to the edge.</summary>
    public CountingHandler FrontendExchanges { get; } = new();

    public static async Task<AgentsOverEdge> StartAsync()
    {
        var edge = new ExchangeEdge();
        await edge.InitializeAsync();
        var agents = new AgentsOverEdge(edge, new TestPki("example.org", edge.Clock.GetUtcNow()));
        await agents.StartWorkloadsAsync();
        return agents;
    }

    public X509Svid Svid(string agent) =>
        Pki.Svid(SpiffeId.Parse(agent).Path, Edge.Clock.GetUtcNow().AddMinutes(-1), Edge.Clock.GetUtcNow().AddHours(1));

    /// <summary>A user access token of the edge for the frontend (RFC 9068), as the person's login gives it.</summary>
    public string UserToken() => Edge.AccessToken(Edge.UserClaims(ExchangeEdge.Frontend));

    /// <summary>The edge's answer to <paramref name="client"/> exchanging <paramref name="subject"/> for <paramref name="target"/>.</summary>
    public async Task<string> ExchangeAsync(string client, string subject, string target)
    {
        var (_, body, response) = await Edge.ExchangeAsync(Edge.Form(client, subject, target));
        response.Dispose();
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>The frontend calls the researcher's <c>/research</c> for the user.</summary>
    public async Task<JsonElement> FrontendCallsResearchAsync(string userToken)
    {
        using var http = Frontend.GetRequiredService<IHttpClientFactory>().CreateClient("researcher");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Researcher.BaseAddress, "research"));
        request.Options.Set(SpiffeRequestOptions.SubjectToken, userToken);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        Pki.Dispose();
        await Edge.DisposeAsync();
    }

    private async Task StartWorkloadsAsync()
    {
        var clock = Edge.Clock;
        Writer = await WorkloadUnderTest.StartAsync(Svid(ExchangeEdge.Writer), Bundles, clock, app => WorkloadUnderTest.MapWhoAmI(app),
            configure: o => o.EdgeIssuer = Edge.Issuer);
        _owned.Add(Writer);
        var writerAddress = Writer.BaseAddress;
        Researcher = await WorkloadUnderTest.StartAsync(
            Svid(ExchangeEdge.Researcher),
            Bundles,
            clock,
            app =>
            {
                WorkloadUnderTest.MapWhoAmI(app);
                app.MapGet("/research", async (IHttpClientFactory clients) =>
                {
                    using var http = clients.CreateClient("writer");
                    return Results.Json(await http.GetFromJsonAsync<JsonElement>(new Uri(writerAddress, "whoami")));
                }).RequireAuthorization();
            },
            jwtSvids: new MintingJwtSvidSource(SpiffeId.Parse(ExchangeEdge.Researcher), Edge.TrustedSigner, clock),
            configure: o => o.EdgeIssuer = Edge.Issuer,
            services: s => s.AddSpiffeHttpClient("writer", ExchangeEdge.Writer));
        _owned.Add(Researcher);

        var frontend = new ServiceCollection();
        frontend.AddLogging();
        frontend.AddSingleton<TimeProvider>(clock);
        frontend.AddSpiffeWorkload(o =>
        {
            o.UseSources(Svid(ExchangeEdge.Frontend), Bundles, new MintingJwtSvidSource(SpiffeId.Parse(ExchangeEdge.Frontend), Edge.TrustedSigner, clock));
            o.EdgeIssuer = Edge.Issuer;
        });
        frontend.AddHttpClient(EdgeMetadata.HttpClientName).AddHttpMessageHandler(() => FrontendExchanges);
        frontend.AddSpiffeHttpClient("researcher", ExchangeEdge.Researcher);
        Frontend = frontend.BuildServiceProvider();
        _owned.Add(Frontend);
    }
}
