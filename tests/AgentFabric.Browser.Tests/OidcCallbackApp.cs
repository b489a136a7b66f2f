using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// A tiny OIDC client app on 127.0.0.1 standing in for a relying party: its home page has a "Sign in" link to the
/// edge's authorization endpoint (code flow, PKCE S256, state and nonce), and <c>/callback</c> records what the edge
/// sends back and says so on a page. The test redeems the code to prove it was a real one.
/// </summary>
internal sealed class OidcCallbackApp : IAsyncDisposable
{
    public const string State = "browser-state-1";
    public const string Nonce = "browser-nonce-1";

    private readonly WebApplication _app;

    private OidcCallbackApp(WebApplication app, Uri baseAddress, Uri issuer, string clientId, string verifier)
    {
        _app = app;
        BaseAddress = baseAddress;
        Issuer = issuer;
        ClientId = clientId;
        Verifier = verifier;
    }

    public Uri BaseAddress { get; }

    public Uri Issuer { get; }

    public string ClientId { get; }

    public string Verifier { get; }

    public Uri RedirectUri => new(BaseAddress, "callback");

    /// <summary>Each callback's query, in arrival order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> Callbacks { get; } = new();

    /// <summary>A redirect URI on a port chosen now, so the client can be registered before the app starts.</summary>
    public static Uri NewBaseAddress() => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{LoopbackPorts.Next()}/"));

    public static async Task<OidcCallbackApp> StartAsync(Uri baseAddress, Uri issuer, string clientId)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(baseAddress.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var self = new OidcCallbackApp(app, baseAddress, issuer, clientId, verifier);
        app.MapGet("/", () => Html("Example client",
            $"<h1>Example client</h1><p><a href=\"{WebUtility.HtmlEncode(self.AuthorizeUrl())}\">Sign in</a></p>"));
        app.MapGet("/callback", (HttpRequest request) =>
        {
            var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            self.Callbacks.Enqueue(query);
            return query.TryGetValue("code", out var code)
                ? Html("Signed in", $"<h1>Signed in</h1><p>Authorization code received: <output id=\"code\">{WebUtility.HtmlEncode(code)}</output></p>")
                : Html("Sign-in failed", $"<h1>Sign-in failed</h1><p id=\"error\">{WebUtility.HtmlEncode(query.GetValueOrDefault("error", "no code"))}</p>");
        });
        await app.StartAsync();
        return self;
    }

    /// <summary>The authorization request (OIDC Core §3.1.2.1, PKCE RFC 7636 §4.3).</summary>
    public string AuthorizeUrl() =>
        QueryHelpers.AddQueryString(new Uri(Issuer, "connect/authorize").ToString(), new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.ToString(),
            ["scope"] = "openid profile",
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier))),
            ["code_challenge_method"] = "S256",
        });

    /// <summary>Redeems a code at the token endpoint (RFC 6749 §4.1.3) and returns the ID token's claims.</summary>
    public async Task<JsonElement> RedeemAsync(string code)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(Issuer, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = ClientId,
            ["redirect_uri"] = RedirectUri.ToString(),
            ["code_verifier"] = Verifier,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"token endpoint: {(int)response.StatusCode} {body}");
        var idToken = JsonDocument.Parse(body).RootElement.GetProperty("id_token").GetString()!;
        var payload = idToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonDocument.Parse(Convert.FromBase64String(payload + new string('=', (4 - (payload.Length % 4)) % 4))).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Html(string title, string body) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main>{body}</main></body></html>",
        "text/html; charset=utf-8");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
