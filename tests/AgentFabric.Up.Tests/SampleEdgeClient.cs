using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentFabric.Up.Tests;

/// <summary>
/// What the sample's frontend does at the edge <c>up</c> started, over real HTTP: signs the demo user in through the
/// authorization code flow with PKCE as the <c>research-frontend</c> client (the login form as a browser posts it),
/// and exchanges the user's token (RFC 8693) with a JWT-SVID as client assertion.
/// </summary>
internal sealed class SampleEdgeClient(Uri issuer, Uri frontend) : IDisposable
{
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = issuer };

    public Uri RedirectUri { get; } = new(frontend, "signin-oidc");

    /// <summary>Signs in as the frontend would; returns the user's access token.</summary>
    public async Task<string> SignInAsync(string user, string password)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "connect/authorize?" + Form(new()
        {
            ["client_id"] = "research-frontend",
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.ToString(),
            ["scope"] = "openid profile offline_access",
            ["state"] = "s1",
            ["nonce"] = "n1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        using var toLogin = await _browser.GetAsync(new Uri(authorize, UriKind.Relative));
        Assert.True(toLogin.StatusCode == HttpStatusCode.Redirect, await toLogin.Content.ReadAsStringAsync());
        using var page = await _browser.GetAsync(toLogin.Headers.Location);
        var fields = HiddenFields.Parse(await page.Content.ReadAsStringAsync());
        fields["username"] = user;
        fields["password"] = password;
        using var login = await _browser.PostAsync(new Uri("account/login", UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.True(login.StatusCode == HttpStatusCode.Redirect, $"sign-in refused: {login.StatusCode}");
        using var back = await _browser.GetAsync(login.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", callback.ToString(), StringComparison.Ordinal);
        var code = WebUtility.UrlDecode(Regex.Match(callback.Query, "[?&]code=([^&]+)").Groups[1].Value);

        var token = await PostTokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "research-frontend",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri.ToString(),
            ["code_verifier"] = verifier,
        });
        Assert.True(token.Status == HttpStatusCode.OK, token.Body.ToJsonString());
        return (string)token.Body["access_token"]!;
    }

    /// <summary>An RFC 8693 exchange of <paramref name="subjectToken"/> for <paramref name="target"/>, the caller
    /// authenticated by its JWT-SVID (draft-ietf-oauth-spiffe-client-auth).</summary>
    public Task<(HttpStatusCode Status, JsonObject Body)> ExchangeAsync(string jwtSvid, string subjectToken, string target) => PostTokenAsync(new()
    {
        ["grant_type"] = TokenExchange,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe",
        ["client_assertion"] = jwtSvid,
        ["subject_token"] = subjectToken,
        ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        ["audience"] = target,
    });

    public void Dispose() => _browser.Dispose();

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostTokenAsync(Dictionary<string, string> form)
    {
        using var response = await _browser.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(form));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static string Form(Dictionary<string, string> values) =>
        string.Join('&', values.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
