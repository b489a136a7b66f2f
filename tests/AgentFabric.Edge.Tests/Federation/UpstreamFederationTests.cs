using System.Net;
using Microsoft.AspNetCore.WebUtilities;

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
    }
}
