using Microsoft.Playwright;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// Playwright's driver and one headless Debian chromium, launched by its executable path (Playwright never downloads
/// a browser here), shared by a test class; each test opens its own <see cref="BrowserSession"/>.
/// </summary>
public sealed class HeadlessChromium : IAsyncLifetime
{
    public const string Variable = "AGENTFABRIC_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where chromium is looked for: AGENTFABRIC_CHROMIUM, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExpectedPath => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>The chromium executable, or null when there is none.</summary>
    public static string? Executable => File.Exists(ExpectedPath) ? ExpectedPath : null;

    public async Task InitializeAsync()
    {
        if (Executable is null)
        {
            return; // every test of the class skips, saying why (ChromiumFactAttribute)
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // Nothing of chromium's own on the network: no component updates, no field trials, no sync.
            Args = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-field-trial-config"],
        });
    }

    /// <summary>A fresh browser context (no cookies) with one page, guarded against every request off 127.0.0.1.</summary>
    public Task<BrowserSession> NewSessionAsync(Xunit.Abstractions.ITestOutputHelper log, string name) =>
        BrowserSession.OpenAsync(_browser ?? throw new InvalidOperationException("chromium was not launched"), log, name);

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
