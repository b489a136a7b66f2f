using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentFabric.Up.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// Issue #16's end-to-end test in a real browser: the built <c>agentfabric up</c> started by the test on a temp state
/// folder with the research-agents sample, then headless chromium on the frontend as a person: sign in at the edge
/// with the demo login up generated, ask a question, see the answer and the three allowed hops of the trail; try the
/// denied call (frontend → writer) and see it denied with 403; a wrong password refused. Nothing leaves 127.0.0.1.
/// Then <c>agentfabric down</c> stops it all.
/// </summary>
public sealed class ResearchSampleTests(HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IDisposable
{
    private const string TrustDomain = "example.org";
    private const string Frontend = "spiffe://" + TrustDomain + "/ns/ui/sa/frontend";
    private const string Researcher = "spiffe://" + TrustDomain + "/ns/agents/sa/researcher";
    private const string Writer = "spiffe://" + TrustDomain + "/ns/agents/sa/writer";

    /// <summary>The trail's columns (contract: caller, callee, user, delegation chain, decision, decision id,
    /// policy latency; then the HTTP status).</summary>
    private static class Column
    {
        public const int Delegation = 3;
        public const int Decision = 4;
        public const int DecisionId = 5;
        public const int Latency = 6;
        public const int Status = 7;
    }

    private readonly SampleUpState _state = new("af-browser-");

    private string StateDir => _state.StateDir;

    [ResearchSampleFact]
    public async Task SignIn_Ask_SeeTheAnswerAndThreeAllowedHops_ThenTheDeniedCall_AndAWrongPassword()
    {
        using var up = UpProcess.Start("up", "--dir", StateDir, "--samples", RepositoryPaths.Samples);
        await up.WaitForAsync("AgentFabric is up", seconds: 600);
        log.WriteLine(up.Output);
        Assert.Contains($"AgentFabric is up (trust domain {TrustDomain}): open http://127.0.0.1:", up.Output, StringComparison.Ordinal);
        var frontend = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port("frontend")}/"));
        var (user, password) = DemoLogin();

        await using (var browser = await chromium.NewSessionAsync(log, "sample"))
        {
            var page = browser.Page;
            await page.GotoAsync(frontend.ToString());
            await browser.ScreenshotAsync("signed-out");

            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page).ToHaveTitleAsync("Sign in - AgentFabric");
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(frontend.ToString())));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
            // The person's name as the edge gives it (the demo user's display name), shown and carried in the trail.
            await Expect(page.Locator("#user")).ToHaveTextAsync(new Regex(@"\S"));
            var shown = await page.Locator("#user").InnerTextAsync();
            await browser.ScreenshotAsync("signed-in");

            await page.GetByLabel("Research question").FillAsync("How does a workload get its SPIFFE ID?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
            await Expect(page.Locator("#answer")).ToHaveTextAsync(new Regex(@"\S"), new() { Timeout = 120_000 });
            var hops = page.Locator("#trail tr.hop");
            await Expect(hops).ToHaveCountAsync(3);
            await Expect(page.Locator("#trail tr.hop[data-decision=allow]")).ToHaveCountAsync(3);
            var person = await CellsAsync(hops.Nth(0)); // the user's request at the frontend
            AssertHop(person, "browser", Frontend, shown, "200");
            var toResearcher = await CellsAsync(hops.Nth(1));
            AssertHop(toResearcher, Frontend, Researcher, shown, "200");
            Assert.Contains(Frontend, toResearcher[Column.Delegation], StringComparison.Ordinal);
            var toWriter = await CellsAsync(hops.Nth(2));
            AssertHop(toWriter, Researcher, Writer, shown, "200");
            Assert.Contains(Researcher, toWriter[Column.Delegation], StringComparison.Ordinal);
            Assert.Contains(Frontend, toWriter[Column.Delegation], StringComparison.Ordinal);
            Assert.Equal(3, new[] { person, toResearcher, toWriter }.Select(h => h[Column.DecisionId]).Distinct().Count());
            await browser.ScreenshotAsync("answer");

            var denied = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Try a denied call (frontend → writer)" }).ClickAsync(),
                r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/denied");
            Assert.Equal(200, denied.Status); // shown as denied on the page, not an error page
            var deny = page.Locator("#trail tr.hop[data-decision=deny]");
            await Expect(deny).ToHaveCountAsync(1);
            await Expect(page.Locator("#trail tr.hop")).ToHaveCountAsync(1);
            var refused = await CellsAsync(deny);
            Assert.Equal([Frontend, Writer, "—", "—"], refused[..4]); // no user: the edge has no route to exchange one
            Assert.StartsWith("deny", refused[Column.Decision], StringComparison.Ordinal);
            Assert.Matches("^[0-9a-f-]{8,}$", refused[Column.DecisionId]); // the writer's decision id, from its 403 problem details
            Assert.Equal("403", refused[Column.Status]);
            await Expect(page.Locator("#outcome")).ToContainTextAsync("Denied");
            await browser.ScreenshotAsync("denied");
            browser.AssertNoExternalRequests();
        }

        await using (var browser = await chromium.NewSessionAsync(log, "sample-wrong-password"))
        {
            var page = browser.Page;
            await page.GotoAsync(frontend.ToString());
            await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password + "-wrong");
            var refused = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
                r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/account/login");
            Assert.Equal(401, refused.Status);
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is wrong.");
            await Expect(page).ToHaveTitleAsync("Sign in - AgentFabric");
            await browser.ScreenshotAsync("refused");
            browser.AssertNoExternalRequests();
        }

        var (code, down, error) = await UpProcess.RunAsync("down", "--dir", StateDir);
        Assert.True(code == 0, down + error);
        Assert.Equal(0, await up.WaitForExitAsync());
        Assert.Contains("AgentFabric stopped.", up.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _state.Dispose();

    /// <summary>A trail row's cells: the full value where the cell shows a short one (a SPIFFE ID's last segment
    /// with the ID in its title), else the text as written (textContent: not as CSS shows it, e.g. uppercased).</summary>
    private static async Task<string[]> CellsAsync(ILocator row) =>
        await row.Locator("td").EvaluateAllAsync<string[]>("cells => cells.map(c => c.querySelector('span[title]')?.title ?? c.textContent.trim())");

    private static void AssertHop(string[] cells, string caller, string callee, string user, string status)
    {
        Assert.Equal([caller, callee, user], cells[..3]);
        Assert.StartsWith("allow", cells[Column.Decision], StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f-]{8,}$", cells[Column.DecisionId]);
        Assert.Matches(@"^\d+(\.\d+)? ms$", cells[Column.Latency]);
        Assert.Equal(status, cells[Column.Status]);
    }

    private int Port(string name) => _state.Port(name);

    private (string User, string Password) DemoLogin() => _state.DemoLogin();
}
