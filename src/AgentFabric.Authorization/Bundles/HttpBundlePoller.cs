using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Authorization.Bundles;

/// <summary>Downloads a bundle from a bundle service (OPA docs, "Bundle Service API") and activates it: sends the last
/// ETag in <c>If-None-Match</c> (<c>304 Not Modified</c> changes nothing), polls again after the response's
/// <c>Cache-Control: max-age</c> (clamped to the configured bounds) or the configured delay.</summary>
public sealed class HttpBundlePoller
{
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly string _name;
    private readonly BundleActivator _activator;
    private readonly HttpBundlePollerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private string? _etag;

    /// <summary>A poller of <paramref name="uri"/> activating bundle <paramref name="name"/> through
    /// <paramref name="activator"/>.</summary>
    public HttpBundlePoller(HttpClient http, Uri uri, string name, BundleActivator activator, HttpBundlePollerOptions? options = null, TimeProvider? timeProvider = null, ILogger<HttpBundlePoller>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(activator);
        _http = http;
        _uri = uri;
        _name = name;
        _activator = activator;
        _options = options ?? new HttpBundlePollerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The ETag of the last activated bundle.</summary>
    public string? ETag => _etag;

    /// <summary>Polls until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(result.NextPoll, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One download; never throws for a failed download or a bad bundle (see the result's event).</summary>
    public async Task<BundlePollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
        if (_etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", _etag);
        }

        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Failed(e is HttpRequestException ? $"GET {_uri}: {e.Message}" : $"GET {_uri}: no answer within {_options.Timeout.TotalSeconds:0.###} s", e);
        }

        using (response)
        {
            var next = NextDelay(response.Headers.CacheControl);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                BundleLog.NotModified(_logger, _name, _etag ?? "");
                return new BundlePollResult(BundlePollOutcome.NotModified, null, next);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Failed($"GET {_uri}: status {(int)response.StatusCode}", null) with { NextPoll = next };
            }

            byte[] body;
            try
            {
                body = await ReadLimitedAsync(response.Content, linked.Token).ConfigureAwait(false);
            }
            catch (BundleException e)
            {
                return new BundlePollResult(BundlePollOutcome.Failed, _activator.Refuse(e), next);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return Failed($"GET {_uri}: reading the body: {e.Message}", e) with { NextPoll = next };
            }

            var activation = _activator.Activate(_name, () =>
            {
                using var stream = new MemoryStream(body, writable: false);
                return PolicyBundle.Load(_name, BundleReader.ReadTarGz(_name, stream, _options.Load.Limits), _options.Load);
            });
            if (!activation.Succeeded)
            {
                return new BundlePollResult(BundlePollOutcome.Failed, activation, next);
            }

            _etag = response.Headers.ETag?.ToString();
            return new BundlePollResult(BundlePollOutcome.Activated, activation, next);
        }
    }

    private BundlePollResult Failed(string detail, Exception? inner) =>
        new(BundlePollOutcome.Failed, _activator.Refuse(new BundleException(_name, BundleErrorReason.DownloadFailed, detail, inner)), _options.Delay);

    // RFC 9111 §5.2.2.1: max-age=N seconds.
    private TimeSpan NextDelay(CacheControlHeaderValue? cacheControl)
    {
        var delay = cacheControl?.MaxAge ?? _options.Delay;
        return delay < _options.MinDelay ? _options.MinDelay : delay > _options.MaxDelay ? _options.MaxDelay : delay;
    }

    private async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _options.Load.Limits.MaxTotalBytes;
        if (content.Headers.ContentLength > limit)
        {
            throw new BundleException(_name, BundleErrorReason.TooLarge, $"download of {content.Headers.ContentLength} bytes exceeds the size limit of {limit} bytes");
        }

        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BundleException(_name, BundleErrorReason.TooLarge, $"download exceeds the size limit of {limit} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
