using System.Net;
using System.Text.Json;
using AgentFabric.Edge.Clients;

namespace AgentFabric.Edge.Tests;

/// <summary>The OIDC provider end to end over loopback HTTP: discovery, JWKS, code + PKCE, refresh rotation,
/// userinfo, introspection, revocation, client credentials, wrong password and lockout.</summary>
public sealed class OidcProviderTests : IAsyncLifetime
{
    private EdgeUnderTest _edge = null!;

    public async Task InitializeAsync()
    {
        _edge = await EdgeUnderTest.StartAsync(o => o.LockoutThreshold = 3);
        await _edge.AddUserAsync("alice", "correct horse battery", "alice@example.org");
        await _edge.AddUserAsync("bob", "bob's password");
        await _edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = "web",
            RedirectUris = [new Uri(OidcLogin.RedirectUri)],
            PostLogoutRedirectUris = [new Uri("http://127.0.0.1/bye")],
        });
        await _edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = "backend",
            ClientSecret = "backend-secret-0123456789",
            GrantTypes = ["client_credentials"],
            Scopes = ["reports"],
        });
    }

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Fact]
    public async Task Discovery_NamesTheEndpoints_AndOnlyS256()
    {
        using var http = _edge.NewBrowser();
        var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(".well-known/openid-configuration", UriKind.Relative))).RootElement;
        var issuer = _edge.Issuer.ToString();
        Assert.Equal(issuer, doc.GetProperty("issuer").GetString());
        Assert.Equal(issuer + "connect/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal(issuer + "connect/authorize", doc.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(issuer + "connect/introspect", doc.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(issuer + "connect/revoke", doc.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(issuer + "connect/userinfo", doc.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(issuer + "connect/endsession", doc.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], doc.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        // RFC 8414 §2: every grant the token endpoint takes, token exchange (RFC 8693) included.
        Assert.Equal(
            ["authorization_code", "client_credentials", "refresh_token", "urn:ietf:params:oauth:grant-type:token-exchange"],
            doc.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));

        var jwks = JsonDocument.Parse(await http.GetStringAsync(new Uri(doc.GetProperty("jwks_uri").GetString()!))).RootElement;
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task SigningKey_IsPersistedOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        var path = Assert.Single(Directory.GetFiles(Path.Combine(_edge.Options.DataDirectory, "signing-keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var file = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", file.GetProperty("private_key").GetString(), StringComparison.Ordinal);
        Assert.Equal(Path.GetFileNameWithoutExtension(path), file.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task CodeWithPkce_IssuesAtJwt_ThenRefreshRotates_AndReuseIsRefused()
    {
        using var browser = _edge.NewBrowser();
        var (verifier, challenge) = OidcLogin.NewPkce();
        var code = await OidcLogin.LoginForCodeAsync(browser, "web", challenge, "alice", "correct horse battery");

        var (status, tokens) = await _edge.PostFormAsync(browser, "connect/token", [
            new("grant_type", "authorization_code"), new("code", code), new("client_id", "web"),
            new("redirect_uri", OidcLogin.RedirectUri), new("code_verifier", verifier)]);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        var access = tokens.GetProperty("access_token").GetString()!;
        var header = OidcLogin.DecodeJwtPart(access, 0);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var claims = OidcLogin.DecodeJwtPart(access, 1);
        Assert.Equal(_edge.Issuer.ToString(), claims.GetProperty("iss").GetString());
        Assert.Equal("web", claims.GetProperty("client_id").GetString());
        var idToken = OidcLogin.DecodeJwtPart(tokens.GetProperty("id_token").GetString()!, 1);
        Assert.Equal("nonce-1", idToken.GetProperty("nonce").GetString());
        Assert.Equal("alice", idToken.GetProperty("preferred_username").GetString());
        Assert.Equal(claims.GetProperty("sub").GetString(), idToken.GetProperty("sub").GetString());

        // UserInfo (OIDC Core §5.3) with the access token.
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, new Uri(_edge.Issuer, "connect/userinfo"));
        userinfo.Headers.Authorization = new("Bearer", access);
        using var info = await browser.SendAsync(userinfo);
        var infoBody = JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("alice@example.org", infoBody.GetProperty("email").GetString());

        // Refresh rotation: a new refresh token each time; the old one is dead and its reuse kills the chain.
        var refresh1 = tokens.GetProperty("refresh_token").GetString()!;
        var (s2, rotated) = await _edge.PostFormAsync(browser, "connect/token", [
            new("grant_type", "refresh_token"), new("refresh_token", refresh1), new("client_id", "web")]);
        Assert.Equal(HttpStatusCode.OK, s2);
        var refresh2 = rotated.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refresh1, refresh2);
        var (s3, reused) = await _edge.PostFormAsync(browser, "connect/token", [
            new("grant_type", "refresh_token"), new("refresh_token", refresh1), new("client_id", "web")]);
        Assert.Equal(HttpStatusCode.BadRequest, s3);
        Assert.Equal("invalid_grant", reused.GetProperty("error").GetString());
        var (s4, afterReuse) = await _edge.PostFormAsync(browser, "connect/token", [
            new("grant_type", "refresh_token"), new("refresh_token", refresh2), new("client_id", "web")]);
        Assert.Equal(HttpStatusCode.BadRequest, s4);
        Assert.Equal("invalid_grant", afterReuse.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("plain", "unsupported code_challenge_method")]
    [InlineData(null, "missing code_challenge")]
    public async Task Pkce_OtherThanS256_IsRefused(string? method, string why)
    {
        using var browser = _edge.NewBrowser();
        var url = OidcLogin.AuthorizeUrl("web", "challenge-value-challenge-value-challenge-value", method ?? "S256");
        if (method is null)
        {
            url = url.Replace("&code_challenge=challenge-value-challenge-value-challenge-value&code_challenge_method=S256", "", StringComparison.Ordinal);
        }

        using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {response.Headers.Location} {body}");
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ShowsTheError_ThenLockoutRefusesEvenTheRightPassword()
    {
        using var browser = _edge.NewBrowser();
        var (_, challenge) = OidcLogin.NewPkce();
        var url = OidcLogin.AuthorizeUrl("web", challenge);
        using (var wrong = await OidcLogin.SubmitLoginAsync(browser, url, "bob", "nope"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("role=\"alert\" class=\"error\">The user name or password is wrong.</p>", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var wrong2 = await OidcLogin.SubmitLoginAsync(browser, url, "bob", "nope"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong2.StatusCode);
        }

        using (var third = await OidcLogin.SubmitLoginAsync(browser, url, "bob", "nope"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, third.StatusCode);
        }

        using var right = await OidcLogin.SubmitLoginAsync(browser, url, "bob", "bob's password");
        Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
        Assert.Contains("This account is locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginWithoutAntiforgery_IsRefused()
    {
        using var browser = _edge.NewBrowser();
        using var response = await browser.PostAsync(new Uri("account/login", UriKind.Relative), new FormUrlEncodedContent(
            [new("username", "alice"), new("password", "correct horse battery"), new("returnUrl", "/connect/authorize?x=1")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ClientCredentials_Introspection_AndRevocation()
    {
        using var http = _edge.NewBrowser();
        KeyValuePair<string, string>[] auth = [new("client_id", "backend"), new("client_secret", "backend-secret-0123456789")];
        var (status, tokens) = await _edge.PostFormAsync(http, "connect/token", [new("grant_type", "client_credentials"), new("scope", "reports"), .. auth]);
        Assert.Equal(HttpStatusCode.OK, status);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.Equal("backend", OidcLogin.DecodeJwtPart(access, 1).GetProperty("sub").GetString());

        var (_, active) = await _edge.PostFormAsync(http, "connect/introspect", [new("token", access), .. auth]);
        Assert.True(active.GetProperty("active").GetBoolean());
        // OpenIddict returns scope and the other claims only to a caller the token names as an audience.
        Assert.Equal("backend", active.GetProperty("client_id").GetString());
        Assert.Equal("access_token", active.GetProperty("token_usage").GetString());
        Assert.Equal("backend", active.GetProperty("sub").GetString());

        var (revokeStatus, _) = await _edge.PostFormAsync(http, "connect/revoke", [new("token", access), .. auth]);
        Assert.Equal(HttpStatusCode.OK, revokeStatus);
        var (_, inactive) = await _edge.PostFormAsync(http, "connect/introspect", [new("token", access), .. auth]);
        Assert.False(inactive.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("backend", "wrong-secret", "invalid_client", HttpStatusCode.Unauthorized)]
    [InlineData("nobody", "x", "invalid_client", HttpStatusCode.Unauthorized)]
    public async Task ClientCredentials_BadClient(string clientId, string secret, string error, HttpStatusCode expected)
    {
        using var http = _edge.NewBrowser();
        var (status, body) = await _edge.PostFormAsync(http, "connect/token", [
            new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", secret)]);
        Assert.Equal(expected, status);
        Assert.Equal(error, body.GetProperty("error").GetString());
    }
}
