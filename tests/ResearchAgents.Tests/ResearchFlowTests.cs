using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentFabric.Edge.Tests;
using ResearchAgents.Hosting.Messages;

namespace ResearchAgents.Tests;

/// <summary>The sample end to end in one process: a person signs in at the edge through the frontend, asks, and gets
/// an answer with three allowed hops; the frontend's direct call to the writer is refused by the writer's policy; the
/// researcher refuses a caller without a user token.</summary>
public sealed partial class ResearchFlowTests : IAsyncLifetime
{
    private ResearchAgentsUnderTest _agents = null!;

    public async Task InitializeAsync() => _agents = await ResearchAgentsUnderTest.StartAsync();

    public async Task DisposeAsync() => await _agents.DisposeAsync();

    [Fact]
    public async Task SignedOut_HomePage_OffersSignIn()
    {
        using var browser = _agents.NewBrowser();
        using var response = await browser.GetAsync(_agents.FrontendUrl);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<a class=\"button\" href=\"/signin\">Sign in</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"question\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_AnswersWithThreeAllowedHops()
    {
        using var browser = _agents.NewBrowser();
        var home = await SignInAsync(browser);
        Assert.Contains("Signed in as <strong id=\"user\">demo</strong>", home, StringComparison.Ordinal);

        var page = await PostFormAsync(browser, home, "ask", new() { ["question"] = "What does PKCE protect against?" });
        var answer = Answer().Match(page);
        Assert.True(answer.Success, page);
        Assert.Contains("PKCE", answer.Groups[1].Value, StringComparison.Ordinal);
        var hops = Hops().Matches(page).Select(m => (Decision: m.Groups[1].Value, Cells: Cells(m.Groups[2].Value))).ToList();
        Assert.Equal(["allow", "allow", "allow"], hops.Select(h => h.Decision));

        // caller, callee, user, delegation chain (short names), decision, decision id, latency, status.
        Assert.Equal(["browser", "frontend", "demo", "—", "allow"], hops[0].Cells.Take(5));
        Assert.Equal(["frontend", "researcher", "demo", "frontend", "allow"], hops[1].Cells.Take(5));
        Assert.Equal(["researcher", "writer", "demo", "researcher ← frontend", "allow"], hops[2].Cells.Take(5));
        Assert.All(hops, h =>
        {
            Assert.Matches("^[0-9a-f-]{36}$", h.Cells[5]);
            Assert.EndsWith(" ms", h.Cells[6], StringComparison.Ordinal);
            Assert.Equal("200", h.Cells[7]);
        });
        Assert.Equal(3, hops.Select(h => h.Cells[5]).Distinct().Count());
    }

    [Fact]
    public async Task DirectCall_FrontendToWriter_IsDeniedByTheWritersPolicy_WithADecisionId()
    {
        using var browser = _agents.NewBrowser();
        var home = await SignInAsync(browser);
        var page = await PostFormAsync(browser, home, "denied", []);
        var hops = Hops().Matches(page).Select(m => (Decision: m.Groups[1].Value, Cells: Cells(m.Groups[2].Value))).ToList();
        var hop = Assert.Single(hops);
        Assert.Equal("deny", hop.Decision);
        Assert.Equal(["frontend", "writer", "—", "—"], hop.Cells.Take(4));
        Assert.StartsWith("deny", hop.Cells[4], StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f-]{36}$", hop.Cells[5]);
        Assert.Equal("403", hop.Cells[7]);
        Assert.Contains("Denied: the writer refused the frontend&#x27;s direct call (403).", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"answer\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Researcher_WithoutAUserToken_Refuses_WithProblemDetails()
    {
        using var frontend = _agents.AgentClient(_agents.Ids.Frontend, _agents.ResearcherUrl);
        using var response = await frontend.PostAsJsonAsync("research", new ResearchRequest("What is SPIFFE?"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("The policy denied this request.", problem.RootElement.GetProperty("detail").GetString());
        Assert.Matches("^[0-9a-f-]{36}$", problem.RootElement.GetProperty("decision_id").GetString()!);
    }

    [Fact]
    public async Task Writer_CalledByTheResearcher_WithoutAUserToken_Refuses()
    {
        using var researcher = _agents.AgentClient(_agents.Ids.Researcher, _agents.WriterUrl);
        using var response = await researcher.PostAsJsonAsync("write", new WriteRequest("What is SPIFFE?", []));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Ask_WithoutTheAntiforgeryToken_IsRefused()
    {
        using var browser = _agents.NewBrowser();
        await SignInAsync(browser);
        using var response = await browser.PostAsync(new Uri(_agents.FrontendUrl, "ask"), new FormUrlEncodedContent([new("question", "x")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Sign in through the frontend: /signin → edge authorize → login form → back with a code → home page.</summary>
    private async Task<string> SignInAsync(HttpClient browser)
    {
        using var toEdge = await browser.GetAsync(new Uri(_agents.FrontendUrl, "signin"));
        Assert.Equal(HttpStatusCode.Redirect, toEdge.StatusCode);
        var authorize = toEdge.Headers.Location!;
        Assert.StartsWith(new Uri(_agents.Edge.Issuer, "connect/authorize").ToString(), authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);

        using var toLogin = await browser.GetAsync(authorize);
        using var loginPage = await browser.GetAsync(new Uri(_agents.Edge.Issuer, toLogin.Headers.Location!));
        using var login = await OidcLogin.PostLoginAsync(browser, await loginPage.Content.ReadAsStringAsync(), ResearchAgentsUnderTest.UserName, ResearchAgentsUnderTest.Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var next = new Uri(_agents.Edge.Issuer, login.Headers.Location!);
        for (var i = 0; i < 5 && !next.AbsolutePath.Equals("/", StringComparison.Ordinal); i++)
        {
            using var hop = await browser.GetAsync(next);
            Assert.True(hop.StatusCode == HttpStatusCode.Redirect, $"{next}: {(int)hop.StatusCode} {await hop.Content.ReadAsStringAsync()}");
            next = new Uri(next, hop.Headers.Location!);
        }

        Assert.Equal(_agents.FrontendUrl, next);
        using var home = await browser.GetAsync(next);
        return await home.Content.ReadAsStringAsync();
    }

    private async Task<string> PostFormAsync(HttpClient browser, string page, string path, Dictionary<string, string> fields)
    {
        var token = Antiforgery().Match(page);
        Assert.True(token.Success, page);
        fields[WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value);
        using var response = await browser.PostAsync(new Uri(_agents.FrontendUrl, path), new FormUrlEncodedContent(fields));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        return html;
    }

    private static List<string> Cells(string row) =>
        Cell().Matches(row).Select(m => WebUtility.HtmlDecode(Tags().Replace(m.Groups[1].Value.Split("<br>")[0], ""))).ToList();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<p id=\"answer\">([^<]*)</p>")]
    private static partial Regex Answer();

    [GeneratedRegex("<tr class=\"hop\" data-decision=\"([a-z]+)\">(.*?)</tr>")]
    private static partial Regex Hops();

    [GeneratedRegex("<td[^>]*>(.*?)</td>")]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
