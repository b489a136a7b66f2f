using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentFabric.Edge.Tests;

/// <summary>Drives the authorization code + PKCE flow as a browser and a client would, hop by hop.</summary>
internal static partial class OidcLogin
{
    public const string RedirectUri = "http://127.0.0.1/callback";

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string clientId, string challenge, string method = "S256", string scope = "openid profile email offline_access") =>
        QueryHelpers.AddQueryString("connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = scope,
            ["state"] = "state-1",
            ["nonce"] = "nonce-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = method,
        });

    /// <summary>Follows the authorization request to the login page, submits it, and returns the login POST's
    /// response (a redirect back on success, the page with an error otherwise).</summary>
    public static async Task<HttpResponseMessage> SubmitLoginAsync(HttpClient browser, string authorizeUrl, string user, string password)
    {
        using var toLogin = await browser.GetAsync(new Uri(authorizeUrl, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var loginUrl = toLogin.Headers.Location!;
        Assert.StartsWith("/account/login?returnUrl=", loginUrl.OriginalString, StringComparison.Ordinal);
        using var page = await browser.GetAsync(loginUrl);
        var html = await page.Content.ReadAsStringAsync();
        return await PostLoginAsync(browser, html, user, password);
    }

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string html, string user, string password)
    {
        var fields = HiddenField().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["username"] = user;
        fields["password"] = password;
        return await browser.PostAsync(new Uri("account/login", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    /// <summary>Logs in and returns the code from the redirect to the client.</summary>
    public static async Task<string> LoginForCodeAsync(HttpClient browser, string clientId, string challenge, string user, string password)
    {
        using var login = await SubmitLoginAsync(browser, AuthorizeUrl(clientId, challenge), user, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var back = await browser.GetAsync(login.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(RedirectUri + "?", callback.OriginalString, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("state-1", query["state"].ToString());
        return query["code"].ToString();
    }

    public static JsonElement DecodeJwtPart(string jwt, int part) =>
        JsonDocument.Parse(Convert.FromBase64String(Pad(jwt.Split('.')[part]))).RootElement.Clone();

    private static string Pad(string b64url)
    {
        var s = b64url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
