using System.Net;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Federation;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>
/// Two real edges: <see cref="Upstream"/> is the company's IdP (an OIDC provider with the user carol), where
/// <see cref="Downstream"/> is registered as the confidential client <c>downstream-edge</c>; the downstream edge
/// has the upstream configured as provider <c>corp</c> and the public client <c>web</c> of its own.
/// </summary>
internal sealed class FederatedEdges : IAsyncDisposable
{
    public const string ClientId = "downstream-edge";
    public const string ClientSecret = "downstream-edge-secret-0123456789";
    public const string CarolPassword = "carol's long password";

    private FederatedEdges(EdgeUnderTest upstream, EdgeUnderTest downstream, string carolId)
    {
        Upstream = upstream;
        Downstream = downstream;
        CarolUpstreamId = carolId;
    }

    public EdgeUnderTest Upstream { get; }

    public EdgeUnderTest Downstream { get; }

    public string CarolUpstreamId { get; }

    public static async Task<FederatedEdges> StartAsync(Action<UpstreamProvider>? provider = null, Action<IServiceCollection>? upstreamServices = null)
    {
        var upstream = await EdgeUnderTest.StartAsync(services: upstreamServices);
        try
        {
            await upstream.AddUserAsync("carol", CarolPassword, "carol@corp.example");
            var downstream = await EdgeUnderTest.StartAsync(o =>
            {
                var corp = new UpstreamProvider
                {
                    Name = "corp",
                    DisplayName = "Corp SSO",
                    Issuer = upstream.Issuer,
                    ClientId = ClientId,
                    ClientSecret = ClientSecret,
                };
                provider?.Invoke(corp);
                o.Upstreams.Add(corp);
            });
            await downstream.AddClientAsync(new EdgeClientRegistration { ClientId = "web", RedirectUris = [new Uri(OidcLogin.RedirectUri)] });
            await upstream.AddClientAsync(new EdgeClientRegistration
            {
                ClientId = ClientId,
                ClientSecret = ClientSecret,
                RedirectUris = [new Uri(downstream.Issuer, "account/upstream-callback")],
            });
            await using var scope = upstream.Services.CreateAsyncScope();
            var carol = await scope.ServiceProvider.GetRequiredService<Users.EdgeUserStore>().FindAsync("carol");
            return new FederatedEdges(upstream, downstream, carol!.Id);
        }
        catch
        {
            await upstream.DisposeAsync();
            throw;
        }
    }

    /// <summary>From the client's authorization request at the downstream edge to the upstream's sign-in page:
    /// returns the upstream login page's URI and HTML.</summary>
    public async Task<(Uri Page, string Html)> ToUpstreamLoginAsync(SiteBrowser browser, string challenge)
    {
        using var toLogin = await browser.GetAsync(new Uri(Downstream.Issuer, OidcLogin.AuthorizeUrl("web", challenge)));
        var loginUri = SiteBrowser.Location(toLogin);
        using var loginPage = await browser.GetAsync(loginUri);
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var html = await loginPage.Content.ReadAsStringAsync();
        Assert.Contains("Sign in with Corp SSO</button>", html, StringComparison.Ordinal);
        var (action, fields) = SiteBrowser.Form(loginUri, html, "/account/upstream/corp");
        using var toUpstream = await browser.PostFormAsync(action, fields);
        var upstreamAuthorize = SiteBrowser.Location(toUpstream);
        Assert.Equal(Upstream.Issuer.GetLeftPart(UriPartial.Authority), upstreamAuthorize.GetLeftPart(UriPartial.Authority));
        var query = QueryHelpers.ParseQuery(upstreamAuthorize.Query);
        Assert.Equal(ClientId, query["client_id"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.False(string.IsNullOrEmpty(query["nonce"].ToString()));
        using var toUpstreamLogin = await browser.GetAsync(upstreamAuthorize);
        var upstreamLogin = SiteBrowser.Location(toUpstreamLogin);
        using var upstreamPage = await browser.GetAsync(upstreamLogin);
        return (upstreamLogin, await upstreamPage.Content.ReadAsStringAsync());
    }

    /// <summary>Signs carol in at the upstream and returns the upstream's answer addressed to the downstream's
    /// callback: its URI and form fields (a redirect's query, or the form_post page's hidden fields).</summary>
    public async Task<(Uri Callback, Dictionary<string, string> Fields, bool FormPost)> SignInUpstreamAsync(SiteBrowser browser, Uri page, string html)
    {
        var (action, fields) = SiteBrowser.Form(page, html, "/account/login");
        fields["username"] = "carol";
        fields["password"] = CarolPassword;
        using var posted = await browser.PostFormAsync(action, fields);
        using var back = await browser.GetAsync(SiteBrowser.Location(posted));
        if (back.StatusCode == HttpStatusCode.OK)
        {
            var (callback, answer) = SiteBrowser.Form(back.RequestMessage!.RequestUri!, await back.Content.ReadAsStringAsync(), "/account/upstream-callback");
            return (callback, answer, true);
        }

        var location = SiteBrowser.Location(back);
        var query = QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        return (new Uri(location.GetLeftPart(UriPartial.Path)), query, false);
    }

    /// <summary>Delivers the upstream's answer to the downstream callback, as the browser would.</summary>
    public static Task<HttpResponseMessage> DeliverAsync(SiteBrowser browser, Uri callback, Dictionary<string, string> fields, bool formPost) =>
        formPost
            ? browser.PostFormAsync(callback, fields)
            : browser.GetAsync(new Uri(QueryHelpers.AddQueryString(callback.ToString(), fields!)));

    public async ValueTask DisposeAsync()
    {
        await Downstream.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
