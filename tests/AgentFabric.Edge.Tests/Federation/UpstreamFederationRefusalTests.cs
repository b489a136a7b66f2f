using System.Net;
using System.Text.Json.Nodes;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>Sign-ins through an upstream that must fail, each with a clear page and status, never a session.</summary>
public sealed class UpstreamFederationRefusalTests
{
    [Theory]
    [InlineData("issuer", "(invalid_token): The issuer associated to the specified token is not valid.")]
    [InlineData("audience", "(invalid_request): The specified backchannel identity token cannot be used with this client application.")]
    [InlineData("nonce", "(invalid_request): The 'nonce' claim returned in the specified backchannel identity token doesn't match the expected value.")]
    public async Task IdTokenWithWrongClaim_IsRefused(string claim, string expected)
    {
        Action<JsonObject> tamper = claim switch
        {
            "issuer" => p => p["iss"] = "http://127.0.0.1:1/",
            "audience" => p => p["aud"] = "someone-else",
            _ => p => p["nonce"] = "not-the-nonce-we-sent",
        };
        await using var edges = await FederatedEdges.StartAsync(upstreamServices: MisbehavingUpstream.IdTokens(tamper));
        using var browser = new SiteBrowser();
        var (page, html) = await edges.ToUpstreamLoginAsync(browser, OidcLogin.NewPkce().Challenge);
        var (callback, fields, formPost) = await edges.SignInUpstreamAsync(browser, page, html);
        using var landed = await FederatedEdges.DeliverAsync(browser, callback, fields, formPost);
        var body = await landed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, landed.StatusCode);
        Assert.Equal("The sign-in did not complete " + expected, Problem(body));
        await AssertNotSignedInAsync(edges, browser);
    }

    [Fact]
    public async Task UpstreamErrorResponse_IsShown()
    {
        await using var edges = await FederatedEdges.StartAsync(upstreamServices: MisbehavingUpstream.Refusing);
        using var browser = new SiteBrowser();
        using var toLogin = await browser.GetAsync(new Uri(edges.Downstream.Issuer, OidcLogin.AuthorizeUrl("web", OidcLogin.NewPkce().Challenge)));
        var loginUri = SiteBrowser.Location(toLogin);
        using var loginPage = await browser.GetAsync(loginUri);
        var (action, form) = SiteBrowser.Form(loginUri, await loginPage.Content.ReadAsStringAsync(), "/account/upstream/corp");
        using var toUpstream = await browser.PostFormAsync(action, form);
        using var refused = await browser.GetAsync(SiteBrowser.Location(toUpstream));
        var location = SiteBrowser.Location(refused);
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        var callback = new Uri(location.GetLeftPart(UriPartial.Path));
        var formPost = false;
        Assert.Equal("access_denied", fields["error"]);
        Assert.Equal(edges.Upstream.Issuer.ToString(), fields["iss"]);
        using var landed = await FederatedEdges.DeliverAsync(browser, callback, fields, formPost);
        var body = await landed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, landed.StatusCode);
        Assert.Equal("The sign-in did not complete (access_denied): The authentication demand was denied by the user or by the identity provider.", Problem(body));
        await AssertNotSignedInAsync(edges, browser);
    }

    [Theory]
    [InlineData("tampered", "(invalid_token): The specified token is invalid.")]
    [InlineData("other-browser", "(invalid_request): No correlation cookie associated with the specified state can be found. Please try logging in again. If the error persists, please contact the website owner.")]
    [InlineData("replayed", "(invalid_token): The specified state token has already been redeemed.")]
    public async Task StateMismatch_IsRefused(string how, string expected)
    {
        await using var edges = await FederatedEdges.StartAsync();
        using var browser = new SiteBrowser();
        var (page, html) = await edges.ToUpstreamLoginAsync(browser, OidcLogin.NewPkce().Challenge);
        var (callback, fields, formPost) = await edges.SignInUpstreamAsync(browser, page, html);
        using var other = new SiteBrowser();
        var deliverer = browser;
        if (how == "tampered")
        {
            fields["state"] = fields["state"][..^4] + "AAAA";
        }
        else if (how == "other-browser")
        {
            deliverer = other;
        }
        else
        {
            using var first = await FederatedEdges.DeliverAsync(browser, callback, fields, formPost);
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var landed = await FederatedEdges.DeliverAsync(deliverer, callback, fields, formPost);
        var body = await landed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, landed.StatusCode);
        Assert.Equal("The sign-in did not complete " + expected, Problem(body));
        if (how == "other-browser")
        {
            await AssertNotSignedInAsync(edges, other);
        }
    }

    [Fact]
    public async Task UpstreamDown_Is502WithAClearPage()
    {
        var closedPort = AgentFabric.Testing.LoopbackPorts.Next();
        await using var edges = await FederatedEdges.StartAsync(p => p.Issuer = new Uri($"http://127.0.0.1:{closedPort}/"));
        using var browser = new SiteBrowser();
        using var toLogin = await browser.GetAsync(new Uri(edges.Downstream.Issuer, OidcLogin.AuthorizeUrl("web", OidcLogin.NewPkce().Challenge)));
        var loginUri = SiteBrowser.Location(toLogin);
        using var loginPage = await browser.GetAsync(loginUri);
        var (action, form) = SiteBrowser.Form(loginUri, await loginPage.Content.ReadAsStringAsync(), "/account/upstream/corp");
        using var response = await browser.PostFormAsync(action, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Corp SSO cannot be reached right now, so you cannot sign in with it. Try again later or sign in another way.", Problem(body));
        Assert.Contains("<a href=\"/account/login?returnUrl=%2Fconnect%2Fauthorize%3F", body, StringComparison.Ordinal);
        // The edge itself is fine afterwards.
        using var again = await browser.GetAsync(loginUri);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    internal static string Problem(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, "<p id=\"problem\" role=\"alert\" class=\"error\">(.*?)</p>");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : html;
    }

    /// <summary>The downstream's authorization endpoint still sends the browser to the login page.</summary>
    private static async Task AssertNotSignedInAsync(FederatedEdges edges, SiteBrowser browser)
    {
        using var authorize = await browser.GetAsync(new Uri(edges.Downstream.Issuer, OidcLogin.AuthorizeUrl("web", OidcLogin.NewPkce().Challenge)));
        Assert.StartsWith("/account/login?", SiteBrowser.Location(authorize).PathAndQuery, StringComparison.Ordinal);
    }
}
