using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFabric.Edge.Tests.Federation;

/// <summary>Sign-in through an upstream OIDC provider, end to end over loopback HTTP with no fake: the upstream is a
/// second, real edge; a browser (cookies per site) follows every redirect and form.</summary>
public sealed class UpstreamFederationTests
{
    [Fact]
    public async Task SignInAtUpstream_ResumesAuthorization_AndTokensCarryTheMappedClaims()
    {
        await using var edges = await FederatedEdges.StartAsync();
        using var browser = new SiteBrowser();
        var (verifier, challenge) = OidcLogin.NewPkce();
        var (page, html) = await edges.ToUpstreamLoginAsync(browser, challenge);
        var (callback, fields, formPost) = await edges.SignInUpstreamAsync(browser, page, html);

        using var landed = await FederatedEdges.DeliverAsync(browser, callback, fields, formPost);
        var resume = SiteBrowser.Location(landed);
        Assert.Equal(edges.Downstream.Issuer.GetLeftPart(UriPartial.Authority), resume.GetLeftPart(UriPartial.Authority));
        Assert.Equal("/connect/authorize", resume.AbsolutePath);
        using var authorized = await browser.GetAsync(resume);
        var toClient = SiteBrowser.Location(authorized);
        Assert.StartsWith(OidcLogin.RedirectUri + "?", toClient.OriginalString, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(toClient.Query);
        Assert.Equal("state-1", query["state"].ToString());

        using var http = new HttpClient();
        var (status, tokens) = await edges.Downstream.PostFormAsync(http, "connect/token", [
            new("grant_type", "authorization_code"), new("code", query["code"].ToString()), new("client_id", "web"),
            new("redirect_uri", OidcLogin.RedirectUri), new("code_verifier", verifier)]);
        Assert.Equal(HttpStatusCode.OK, status);
        var access = OidcLogin.DecodeJwtPart(tokens.GetProperty("access_token").GetString()!, 1);
        Assert.Equal("corp:" + edges.CarolUpstreamId, access.GetProperty("sub").GetString());
        Assert.Equal("corp", access.GetProperty("idp").GetString());
        Assert.Equal("carol", access.GetProperty("name").GetString());
        Assert.Equal("carol", access.GetProperty("preferred_username").GetString());
        Assert.Equal("carol@corp.example", access.GetProperty("email").GetString());
        Assert.Equal(edges.Downstream.Issuer.ToString(), access.GetProperty("iss").GetString());
        var id = OidcLogin.DecodeJwtPart(tokens.GetProperty("id_token").GetString()!, 1);
        Assert.Equal("corp:" + edges.CarolUpstreamId, id.GetProperty("sub").GetString());
        Assert.Equal("nonce-1", id.GetProperty("nonce").GetString());
        Assert.Equal("carol@corp.example", id.GetProperty("email").GetString());

        // The claims live on through refresh (no local account to re-read) and are what userinfo says.
        var (refreshStatus, refreshed) = await edges.Downstream.PostFormAsync(http, "connect/token", [
            new("grant_type", "refresh_token"), new("refresh_token", tokens.GetProperty("refresh_token").GetString()!), new("client_id", "web")]);
        Assert.Equal(HttpStatusCode.OK, refreshStatus);
        var again = OidcLogin.DecodeJwtPart(refreshed.GetProperty("access_token").GetString()!, 1);
        Assert.Equal("corp:" + edges.CarolUpstreamId, again.GetProperty("sub").GetString());
        Assert.Equal("corp", again.GetProperty("idp").GetString());
        Assert.Equal("carol@corp.example", again.GetProperty("email").GetString());
        using var userInfo = new HttpRequestMessage(HttpMethod.Get, new Uri(edges.Downstream.Issuer, "connect/userinfo"));
        userInfo.Headers.Authorization = new("Bearer", refreshed.GetProperty("access_token").GetString());
        using var info = await http.SendAsync(userInfo);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        Assert.Equal($$"""{"sub":"corp:{{edges.CarolUpstreamId}}","name":"carol","preferred_username":"carol","email":"carol@corp.example"}""",
            await info.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LocalUserMapping_SignsInTheLocalAccount_OrRefuses(bool accountExists)
    {
        await using var edges = await FederatedEdges.StartAsync(p => p.SubjectMapping = Edge.Federation.UpstreamSubjectMapping.LocalUser);
        if (accountExists)
        {
            await edges.Downstream.AddUserAsync("carol", "a different local password", "carol@local.example");
        }

        using var browser = new SiteBrowser();
        var (verifier, challenge) = OidcLogin.NewPkce();
        var (page, html) = await edges.ToUpstreamLoginAsync(browser, challenge);
        var (callback, fields, formPost) = await edges.SignInUpstreamAsync(browser, page, html);
        using var landed = await FederatedEdges.DeliverAsync(browser, callback, fields, formPost);
        if (!accountExists)
        {
            Assert.Equal(HttpStatusCode.Forbidden, landed.StatusCode);
            Assert.Equal("Corp SSO signed you in as \"carol\", but there is no such account here.",
                UpstreamFederationRefusalTests.Problem(await landed.Content.ReadAsStringAsync()));
            return;
        }

        using var authorized = await browser.GetAsync(SiteBrowser.Location(landed));
        var code = QueryHelpers.ParseQuery(SiteBrowser.Location(authorized).Query)["code"].ToString();
        using var http = new HttpClient();
        var (status, tokens) = await edges.Downstream.PostFormAsync(http, "connect/token", [
            new("grant_type", "authorization_code"), new("code", code), new("client_id", "web"),
            new("redirect_uri", OidcLogin.RedirectUri), new("code_verifier", verifier)]);
        Assert.Equal(HttpStatusCode.OK, status);
        var access = OidcLogin.DecodeJwtPart(tokens.GetProperty("access_token").GetString()!, 1);
        await using var scope = edges.Downstream.Services.CreateAsyncScope();
        var local = await scope.ServiceProvider.GetRequiredService<Users.EdgeUserStore>().FindAsync("carol");
        Assert.Equal(local!.Id, access.GetProperty("sub").GetString());
        Assert.Equal("carol@local.example", access.GetProperty("email").GetString());
        Assert.False(access.TryGetProperty("idp", out _));
    }

    [Fact]
    public async Task Start_UnknownProviderOrNoAntiforgery_IsRefused()
    {
        await using var edges = await FederatedEdges.StartAsync();
        using var browser = new SiteBrowser();
        var loginUri = new Uri(edges.Downstream.Issuer, "account/login");
        using var loginPage = await browser.GetAsync(loginUri);
        var (action, form) = SiteBrowser.Form(loginUri, await loginPage.Content.ReadAsStringAsync(), "/account/upstream/corp");

        using var unknown = await browser.PostFormAsync(new Uri(edges.Downstream.Issuer, "account/upstream/nobody"), form);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("There is no sign-in provider called \"nobody\".", UpstreamFederationRefusalTests.Problem(await unknown.Content.ReadAsStringAsync()));

        using var stranger = new SiteBrowser();
        using var forged = await stranger.PostFormAsync(action, form.Where(f => f.Key == "returnUrl"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("The sign-in form expired or came from another site. Reload the page and try again.",
            UpstreamFederationRefusalTests.Problem(await forged.Content.ReadAsStringAsync()));
    }
}
