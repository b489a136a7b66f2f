using System.Net;
using AgentFabric.Up.Tests;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// The sample's frontend driven over plain HTTP as a browser drives it, for load that a real browser would only slow
/// down: one cookie jar, redirects followed, the edge's login form and the frontend's forms posted with their hidden
/// fields (antiforgery tokens).
/// </summary>
internal sealed class FrontendSession(Uri frontend) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = true, CookieContainer = new CookieContainer() })
    {
        BaseAddress = frontend,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private string _antiforgery = "";

    /// <summary>Signs in at the edge through the frontend's "Sign in" (authorization code + PKCE).</summary>
    public async Task SignInAsync((string User, string Password) login)
    {
        using var loginPage = await _http.GetAsync(new Uri("signin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
        var form = HiddenFields.Parse(await loginPage.Content.ReadAsStringAsync());
        form["username"] = login.User;
        form["password"] = login.Password;
        using var home = await _http.PostAsync(new Uri(loginPage.RequestMessage!.RequestUri!, "/account/login"), new FormUrlEncodedContent(form));
        var page = await home.Content.ReadAsStringAsync();
        Assert.True(home.StatusCode == HttpStatusCode.OK && home.RequestMessage!.RequestUri!.Authority == frontend.Authority, $"sign-in ended at {home.RequestMessage!.RequestUri} ({home.StatusCode})");
        Assert.Contains("action=\"/signout\"", page, StringComparison.Ordinal);
        _antiforgery = HiddenFields.Parse(page)["__RequestVerificationToken"];
    }

    /// <summary>Asks a question; the status and the page that shows the answer and the trail.</summary>
    public async Task<(HttpStatusCode Status, string Page)> AskAsync(string question)
    {
        using var response = await _http.PostAsync(new Uri("ask", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = _antiforgery,
            ["question"] = question,
        }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
