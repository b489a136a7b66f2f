using System.Collections.Concurrent;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AgentFabric.Browser.Tests;

/// <summary>
/// One browser context and its page. Every request the page makes is routed: one to anything but 127.0.0.1 is
/// aborted and recorded (redirects are not routed, so every request is also watched), and
/// <see cref="AssertNoExternalRequests"/> fails the test if there was one. Screenshots go to
/// TestResults/screenshots, their paths written to the test's output.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ITestOutputHelper _log;
    private readonly string _name;
    private readonly ConcurrentQueue<string> _external = new();

    private BrowserSession(IBrowserContext context, IPage page, ITestOutputHelper log, string name)
    {
        _context = context;
        Page = page;
        _log = log;
        _name = name;
    }

    public IPage Page { get; }

    /// <summary>Screenshots this session saved (full paths).</summary>
    public List<string> Screenshots { get; } = [];

    internal static async Task<BrowserSession> OpenAsync(IBrowser browser, ITestOutputHelper log, string name)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 1100, Height = 800 },
        });
        // Two cores shared with other test processes: pages and servers can be slow to answer.
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page, log, name);
        context.Request += (_, request) => session.Watch(request.Url);
        page.Console += (_, message) => session.Print($"console {message.Type}: {message.Text}"); // CSP reports, script errors
        await context.RouteAsync("**/*", async route =>
        {
            if (IsLoopback(route.Request.Url))
            {
                await route.ContinueAsync();
            }
            else
            {
                session.Watch(route.Request.Url);
                await route.AbortAsync("blockedbyclient");
            }
        });
        return session;
    }

    /// <summary>Saves a full-page screenshot as <c>&lt;session&gt;-&lt;step&gt;.png</c> and prints its path.</summary>
    public async Task<string> ScreenshotAsync(string step)
    {
        var path = Path.Combine(RepositoryPaths.Screenshots, $"{_name}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Screenshots.Add(path);
        Print($"screenshot: {path}");
        return path;
    }

    public void AssertNoExternalRequests() =>
        Assert.True(_external.IsEmpty, "requests off 127.0.0.1: " + string.Join(", ", _external));

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Print(string line)
    {
        try
        {
            _log.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished: nobody reads its output any more.
        }
    }

    private void Watch(string url)
    {
        if (!IsLoopback(url))
        {
            _external.Enqueue(url);
        }
    }

    /// <summary>Only the tests' own servers: http(s) to 127.0.0.1. about:, data: and blob: never leave the
    /// browser.</summary>
    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme is "about" or "data" or "blob"
            || (uri.Scheme is "http" or "https" && uri.Host == "127.0.0.1");
    }
}
