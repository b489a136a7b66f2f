using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Uploads batches in OPA's format (OPA docs, "Decision Log Service API"): <c>POST</c> of a gzip-compressed
/// JSON array of events with <c>Content-Encoding: gzip</c>; a non-2xx answer or a network error is retried with
/// exponential backoff, up to <see cref="HttpDecisionLogSinkOptions.MaxAttempts"/>.</summary>
public sealed class HttpDecisionLogSink : IDecisionLogSink
{
    private readonly HttpClient _http;
    private readonly Uri _uri;
    private readonly HttpDecisionLogSinkOptions _options;
    private readonly TimeProvider _time;
    private int _attempts;

    /// <summary>A sink posting to <paramref name="uri"/> (OPA's default resource is <c>/logs</c>).</summary>
    public HttpDecisionLogSink(HttpClient http, Uri uri, HttpDecisionLogSinkOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(uri);
        _http = http;
        _uri = uri;
        _options = options ?? new HttpDecisionLogSinkOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Uploads attempted so far (for tests and metrics).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var body = Compress(events);
        var delay = _options.MinRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            Interlocked.Increment(ref _attempts);
            string failure;
            Exception? inner = null;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                content.Headers.ContentEncoding.Add("gzip");
                using var timeout = new CancellationTokenSource(_options.Timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var response = await _http.PostAsync(_uri, content, linked.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                failure = $"status {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e is HttpRequestException ? e.Message : "timed out";
                inner = e;
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new DecisionLogUploadException($"decision logs: POST {_uri} failed {attempt} times, last: {failure}", inner);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay * 2;
        }
    }

    private static byte[] Compress(IReadOnlyList<string> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            var json = "[" + string.Join(",", events) + "]";
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }
}
