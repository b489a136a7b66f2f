using System.Text.RegularExpressions;
using AgentFabric.Edge.Clients;
using AgentFabric.Edge.Tests;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace AgentFabric.Browser.Tests;

/// <summary>
/// The edge's sign-in page in a real browser: an in-process edge on 127.0.0.1, a public OIDC client (code + PKCE)
/// whose redirect goes to a tiny local app, and headless chromium signing in as a person would: by label and role,
/// and by keyboard alone. Nothing leaves 127.0.0.1.
/// </summary>
public sealed partial class EdgeLoginPageTests(HeadlessChromium chromium, ITestOutputHelper log) : IClassFixture<HeadlessChromium>, IAsyncLifetime
{
    private const string ClientId = "browser-client";
    private const string Password = "correct horse battery";
    private const int LockoutThreshold = 3;
    private const string Locked = "This account is locked after too many failed sign-ins. Try again later.";

    private EdgeUnderTest _edge = null!;
    private OidcCallbackApp _client = null!;

    public async Task InitializeAsync()
    {
        if (HeadlessChromium.Executable is null)
        {
            return; // skipped
        }

        _edge = await EdgeUnderTest.StartAsync(o => o.LockoutThreshold = LockoutThreshold);
        await _edge.AddUserAsync("alice", Password, "alice@example.org");
        var clientBase = OidcCallbackApp.NewBaseAddress();
        await _edge.AddClientAsync(new EdgeClientRegistration
        {
            ClientId = ClientId,
            RedirectUris = [new Uri(clientBase, "callback")],
            Scopes = ["profile"],
        });
        _client = await OidcCallbackApp.StartAsync(clientBase, _edge.Issuer, ClientId);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_edge is not null)
        {
            await _edge.DisposeAsync();
        }
    }

    [ChromiumFact]
    public async Task SignIn_TheCodeArrivesAtTheCallback_AndRedeemsForAliceIdToken()
    {
        await using var browser = await chromium.NewSessionAsync(log, "login-signin");
        var page = browser.Page;
        await page.GotoAsync(_client.BaseAddress.ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveTitleAsync("Sign in - AgentFabric");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("form");
        await page.GetByLabel("User name").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(CallbackUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signed in" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("callback");
        var callback = Assert.Single(_client.Callbacks);
        Assert.Equal(OidcCallbackApp.State, callback["state"]);
        await Expect(page.Locator("#code")).ToHaveTextAsync(callback["code"]);

        var idToken = await _client.RedeemAsync(callback["code"]);
        Assert.Equal("alice", idToken.GetProperty("preferred_username").GetString());
        Assert.Equal(OidcCallbackApp.Nonce, idToken.GetProperty("nonce").GetString());
        Assert.Equal(ClientId, idToken.GetProperty("aud").GetString());
        browser.AssertNoExternalRequests();
    }

    [ChromiumTheory]
    [InlineData("alice", "wrong password", "wrong-password")]
    [InlineData("mallory", Password, "unknown-user")] // the same answer: no user enumeration
    public async Task WrongCredentials_AreRefused_TheErrorAnnouncedAndTiedToTheFields(string user, string password, string name)
    {
        await using var browser = await chromium.NewSessionAsync(log, "login-" + name);
        var page = browser.Page;
        await page.GotoAsync(_client.AuthorizeUrl());

        var status = await SubmitAsync(page, user, password);

        Assert.Equal(401, status);
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync("The user name or password is wrong.");
        await Expect(alert).ToHaveIdAsync("login-error");
        foreach (var field in new[] { page.GetByLabel("User name"), page.GetByLabel("Password") })
        {
            await Expect(field).ToHaveAttributeAsync("aria-describedby", "login-error");
            await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(field).ToHaveAccessibleDescriptionAsync("The user name or password is wrong.");
        }

        await Expect(page.GetByLabel("User name")).ToHaveValueAsync(user); // kept, so only the password is retyped
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        await browser.ScreenshotAsync("refused");
        Assert.Empty(_client.Callbacks);
        browser.AssertNoExternalRequests();
    }

    [ChromiumFact]
    public async Task AfterTheThresholdOfFailures_TheAccountIsLocked_EvenForTheRightPassword()
    {
        await using var browser = await chromium.NewSessionAsync(log, "login-lockout");
        var page = browser.Page;
        await page.GotoAsync(_client.AuthorizeUrl());
        for (var i = 1; i < LockoutThreshold; i++)
        {
            Assert.Equal(401, await SubmitAsync(page, "alice", $"wrong {i}"));
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The user name or password is wrong.");
        }

        // The failure that reaches the threshold locks the account and says so; then the right password is refused.
        Assert.Equal(403, await SubmitAsync(page, "alice", $"wrong {LockoutThreshold}"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(Locked);
        Assert.Equal(403, await SubmitAsync(page, "alice", Password));

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(Locked);
        await Expect(page.GetByLabel("Password")).ToHaveAccessibleDescriptionAsync(Locked);
        await browser.ScreenshotAsync("locked");
        Assert.Empty(_client.Callbacks);
        browser.AssertNoExternalRequests();
    }

    [ChromiumFact]
    public async Task KeyboardOnly_TabAndEnter_SignIn()
    {
        await using var browser = await chromium.NewSessionAsync(log, "login-keyboard");
        var page = browser.Page;
        var keyboard = page.Keyboard;
        await page.GotoAsync(_client.BaseAddress.ToString());

        await keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(page).ToHaveTitleAsync("Sign in - AgentFabric");

        // The first Tab lands on the first field: nothing focusable comes before it.
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("User name")).ToBeFocusedAsync();
        await keyboard.TypeAsync("alice");
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await keyboard.TypeAsync(Password);
        await browser.ScreenshotAsync("typed");
        await keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(CallbackUrl());
        var callback = Assert.Single(_client.Callbacks);
        Assert.Equal("alice", (await _client.RedeemAsync(callback["code"])).GetProperty("preferred_username").GetString());
        await browser.ScreenshotAsync("callback");
        browser.AssertNoExternalRequests();
    }

    /// <summary>Fills the form by its labels, presses "Sign in", and returns the status of the form's POST.</summary>
    private static async Task<int> SubmitAsync(IPage page, string user, string password)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/account/login");
        await page.WaitForLoadStateAsync(LoadState.Load);
        return response.Status;
    }

    private Regex CallbackUrl() => new("^" + Regex.Escape(_client.RedirectUri.ToString()) + @"\?");
}
