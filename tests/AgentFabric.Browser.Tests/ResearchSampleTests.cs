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

    private readonly string _root = Directory.CreateTempSubdirectory("af-browser-").FullName;

    private string StateDir => Path.Combine(_root, "state");

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
            await Expect(page.Locator("body")).ToContainTextAsync(user);
            await browser.ScreenshotAsync("signed-in");

            await page.GetByLabel("Research question").FillAsync("How does a workload get its SPIFFE ID?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
            await Expect(page.Locator("#answer")).ToHaveTextAsync(new Regex(@"\S"), new() { Timeout = 120_000 });
            var hops = page.Locator("#trail tr.hop");
            await Expect(hops).ToHaveCountAsync(3);
            await Expect(page.Locator("#trail tr.hop[data-decision=allow]")).ToHaveCountAsync(3);
            await Expect(hops.Nth(0)).ToContainTextAsync(Frontend); // the user's request to the frontend
            await Expect(hops.Nth(1)).ToContainTextAsync(new Regex(Regex.Escape(Frontend) + "[\\s\\S]*" + Regex.Escape(Researcher)));
            await Expect(hops.Nth(2)).ToContainTextAsync(new Regex(Regex.Escape(Researcher) + "[\\s\\S]*" + Regex.Escape(Writer)));
            await browser.ScreenshotAsync("answer");

            var denied = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = "Try a denied call (frontend → writer)" }).ClickAsync(),
                r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/denied");
            Assert.Equal(200, denied.Status); // shown as denied on the page, not an error page
            var deny = page.Locator("#trail tr.hop[data-decision=deny]");
            await Expect(deny).ToHaveCountAsync(1);
            await Expect(deny).ToContainTextAsync(new Regex(Regex.Escape(Frontend) + "[\\s\\S]*" + Regex.Escape(Writer)));
            await Expect(deny).ToContainTextAsync("403");
            await Expect(page.Locator("body")).ToContainTextAsync("denied");
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

    public void Dispose()
    {
        // A failed test may leave up's children (own sessions, not up's tree): stop what the state records.
        if (File.Exists(Path.Combine(StateDir, "state.json")))
        {
            UpProcess.RunAsync("down", "--dir", StateDir, "--timeout", "20").GetAwaiter().GetResult();
        }

        Directory.Delete(_root, recursive: true);
    }

    private int Port(string name)
    {
        using var layout = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "fabric.json")));
        return layout.RootElement.GetProperty("ports").GetProperty(name).GetInt32();
    }

    private (string User, string Password) DemoLogin()
    {
        using var demo = JsonDocument.Parse(File.ReadAllText(Path.Combine(StateDir, "demo-user.json")));
        return (demo.RootElement.GetProperty("username").GetString()!, demo.RootElement.GetProperty("password").GetString()!);
    }
}
