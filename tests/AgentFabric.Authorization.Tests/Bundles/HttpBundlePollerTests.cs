using AgentFabric.Authorization.Bundles;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Rego;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.Authorization.Tests.Bundles;

/// <summary>OPA docs, "Bundle Service API" and "Caching": ETag / If-None-Match, 304, Cache-Control max-age.</summary>
public sealed class HttpBundlePollerTests
{
    private static readonly HttpClient Http = new();

    private static byte[] Tar(string revision, string rego) =>
        BundleBuilder.TarGz((".manifest", $$"""{"revision":"{{revision}}","roots":["a"]}"""), ("a/p.rego", rego));

    /// <summary>A bundle service serving the current tarball with an ETag, answering 304 to a matching If-None-Match.</summary>
    private sealed class BundleService
    {
        public byte[] Body { get; set; } = Tar("r1", "package a\n\nx := 1\n");

        public string ETag { get; set; } = "\"r1\"";

        public string? CacheControl { get; set; } = "max-age=7";

        public int Status { get; set; } = 200;

        public List<string?> IfNoneMatch { get; } = [];

        public async Task Handle(HttpContext c)
        {
            var ifNoneMatch = c.Request.Headers.IfNoneMatch.ToString();
            IfNoneMatch.Add(ifNoneMatch.Length == 0 ? null : ifNoneMatch);
            if (CacheControl is not null)
            {
                c.Response.Headers.CacheControl = CacheControl;
            }

            if (ifNoneMatch == ETag)
            {
                c.Response.StatusCode = 304;
                return;
            }

            c.Response.StatusCode = Status;
            c.Response.Headers.ETag = ETag;
            c.Response.ContentType = "application/gzip";
            await c.Response.Body.WriteAsync(Body);
        }
    }

    [Fact]
    public async Task Downloads_activates_then_sends_the_etag_and_accepts_304()
    {
        var service = new BundleService();
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var activator = new BundleActivator(new RegoEngine());
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", activator);

        var first = await poller.PollOnceAsync();
        var second = await poller.PollOnceAsync();

        Assert.Equal(BundlePollOutcome.Activated, first.Outcome);
        Assert.Equal("r1", first.Event!.Revision);
        Assert.Equal(TimeSpan.FromSeconds(7), first.NextPoll);
        Assert.Equal(BundlePollOutcome.NotModified, second.Outcome);
        Assert.Null(second.Event);
        Assert.Equal([null, "\"r1\""], service.IfNoneMatch);
        Assert.Equal("1", activator.Store.Evaluate("data.a.x", null).Value!.ToJson());
    }

    [Fact]
    public async Task New_revision_replaces_the_old()
    {
        var service = new BundleService();
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var activator = new BundleActivator(new RegoEngine());
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", activator);
        await poller.PollOnceAsync();

        service.Body = Tar("r2", "package a\n\nx := 2\n");
        service.ETag = "\"r2\"";
        var result = await poller.PollOnceAsync();

        Assert.Equal(BundlePollOutcome.Activated, result.Outcome);
        Assert.Equal("\"r2\"", poller.ETag);
        Assert.Equal("2", activator.Store.Evaluate("data.a.x", null).Value!.ToJson());
    }

    [Fact]
    public async Task Bad_bundle_is_refused_and_the_etag_kept()
    {
        var service = new BundleService();
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var activator = new BundleActivator(new RegoEngine());
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", activator);
        await poller.PollOnceAsync();

        service.Body = Tar("r3", "package a\n\nx := y\n");
        service.ETag = "\"r3\"";
        var result = await poller.PollOnceAsync();

        Assert.Equal(BundlePollOutcome.Failed, result.Outcome);
        Assert.Equal(BundleErrorReason.CompileError, result.Event!.Reason);
        Assert.Equal("\"r1\"", poller.ETag);
        Assert.Equal("1", activator.Store.Evaluate("data.a.x", null).Value!.ToJson());
    }

    [Theory]
    [InlineData("max-age=0", 1)]
    [InlineData("max-age=100000", 120)]
    [InlineData(null, 60)]
    public async Task Next_poll_follows_max_age_within_bounds(string? cacheControl, int seconds)
    {
        var service = new BundleService { CacheControl = cacheControl };
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", new BundleActivator(new RegoEngine()));

        Assert.Equal(TimeSpan.FromSeconds(seconds), (await poller.PollOnceAsync()).NextPoll);
    }

    [Fact]
    public async Task Error_status_is_a_download_failure()
    {
        var service = new BundleService { Status = 503 };
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var uri = new Uri(server.BaseAddress, "bundles/a");
        var poller = new HttpBundlePoller(Http, uri, "a", new BundleActivator(new RegoEngine()));

        var result = await poller.PollOnceAsync();

        Assert.Equal(BundleErrorReason.DownloadFailed, result.Event!.Reason);
        Assert.Equal($"bundle a: GET {uri}: status 503", result.Event.Error!.Message);
    }

    [Fact]
    public async Task Unreachable_service_is_a_download_failure()
    {
        var uri = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/bundles/a");
        var poller = new HttpBundlePoller(Http, uri, "a", new BundleActivator(new RegoEngine()));

        var result = await poller.PollOnceAsync();

        Assert.Equal(BundlePollOutcome.Failed, result.Outcome);
        Assert.Equal(BundleErrorReason.DownloadFailed, result.Event!.Reason);
        Assert.StartsWith($"bundle a: GET {uri}: ", result.Event.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_download_is_refused()
    {
        var service = new BundleService();
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var options = new HttpBundlePollerOptions { Load = new BundleLoadOptions { Limits = new BundleLimits { MaxTotalBytes = 10 } } };
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", new BundleActivator(new RegoEngine()), options);

        var result = await poller.PollOnceAsync();

        Assert.Equal(BundleErrorReason.TooLarge, result.Event!.Reason);
        Assert.StartsWith("bundle a: download ", result.Event.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_polls_until_cancelled()
    {
        var service = new BundleService { CacheControl = "max-age=0" };
        await using var server = await LoopbackServer.StartAsync(service.Handle);
        var activator = new BundleActivator(new RegoEngine());
        var revisions = new List<string?>();
        var second = new TaskCompletionSource();
        activator.Activation += (_, e) =>
        {
            revisions.Add(e.Revision);
            if (e.Revision == "r2")
            {
                second.TrySetResult();
            }
        };
        var options = new HttpBundlePollerOptions { MinDelay = TimeSpan.FromMilliseconds(20) };
        var poller = new HttpBundlePoller(Http, new Uri(server.BaseAddress, "bundles/a"), "a", activator, options);
        using var stop = new CancellationTokenSource();

        var run = poller.RunAsync(stop.Token);
        service.Body = Tar("r2", "package a\n\nx := 2\n");
        service.ETag = "\"r2\"";
        await second.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run;

        Assert.Equal("r2", revisions[^1]);
        Assert.Equal("2", activator.Store.Evaluate("data.a.x", null).Value!.ToJson());
    }
}
