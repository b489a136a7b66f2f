using System.IO.Compression;
using AgentFabric.Authorization.DecisionLogs;
using AgentFabric.Authorization.Tests.Fixtures;
using AgentFabric.Testing;
using Microsoft.AspNetCore.Http;

namespace AgentFabric.Authorization.Tests.DecisionLogs;

/// <summary>OPA docs, "Decision Log Service API": gzip JSON array, non-2xx retried with exponential backoff.</summary>
public sealed class HttpDecisionLogSinkTests
{
    private static readonly HttpClient Http = new();
    private static readonly HttpDecisionLogSinkOptions Fast = new() { MaxAttempts = 4, MinRetryDelay = TimeSpan.FromMilliseconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(40) };

    /// <summary>A decision-log receiver failing the first <c>failures</c> uploads with 503.</summary>
    private sealed class Receiver(int failures)
    {
        public List<string> Bodies { get; } = [];

        public List<string> Encodings { get; } = [];

        public int Requests;

        public async Task Handle(HttpContext c)
        {
            Encodings.Add($"{c.Request.Method} {c.Request.Path} {c.Request.Headers.ContentEncoding} {c.Request.ContentType}");
            using var gzip = new GZipStream(c.Request.Body, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref Requests) <= failures)
            {
                c.Response.StatusCode = 503;
                return;
            }

            Bodies.Add(body);
            c.Response.StatusCode = 204;
        }
    }

    /// <summary>The system clock, recording the due time of every timer (each Task.Delay of the sink).</summary>
    private sealed class DelayRecordingTime : TimeProvider
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_delays)
            {
                _delays.Add(dueTime);
            }

            return System.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Fact]
    public async Task Posts_a_gzip_json_array()
    {
        var receiver = new Receiver(0);
        await using var server = await LoopbackServer.StartAsync(receiver.Handle);
        var sink = new HttpDecisionLogSink(Http, new Uri(server.BaseAddress, "logs"), Fast);

        await sink.WriteAsync(["""{"decision_id":"a"}""", """{"decision_id":"b"}"""], CancellationToken.None);

        Assert.Equal(["""[{"decision_id":"a"},{"decision_id":"b"}]"""], receiver.Bodies);
        Assert.Equal(["POST /logs gzip application/json"], receiver.Encodings);
    }

    [Fact]
    public async Task Retries_with_exponential_backoff()
    {
        var receiver = new Receiver(2);
        await using var server = await LoopbackServer.StartAsync(receiver.Handle);
        var time = new DelayRecordingTime();
        var sink = new HttpDecisionLogSink(Http, new Uri(server.BaseAddress, "logs"), Fast, time);

        await sink.WriteAsync(["""{"decision_id":"a"}"""], CancellationToken.None);

        Assert.Equal(3, sink.Attempts);
        Assert.Single(receiver.Bodies);
        // The timers the sink asked for (not wall-clock gaps between arrivals, which a loaded machine stretches or
        // squeezes): each attempt's timeout, and between attempts the minimum delay, then twice it.
        var timeout = Fast.Timeout;
        Assert.Equal([timeout, TimeSpan.FromMilliseconds(10), timeout, TimeSpan.FromMilliseconds(20), timeout], time.Delays);
    }

    [Fact]
    public async Task Gives_up_after_max_attempts()
    {
        var receiver = new Receiver(int.MaxValue);
        await using var server = await LoopbackServer.StartAsync(receiver.Handle);
        var uri = new Uri(server.BaseAddress, "logs");
        var sink = new HttpDecisionLogSink(Http, uri, Fast);

        var e = await Assert.ThrowsAsync<DecisionLogUploadException>(() => sink.WriteAsync(["{}"], CancellationToken.None));

        Assert.Equal($"decision logs: POST {uri} failed 4 times, last: status 503", e.Message);
        Assert.Equal(4, receiver.Requests);
    }

    [Fact]
    public async Task Unreachable_receiver_is_retried_then_reported()
    {
        var uri = new Uri($"http://127.0.0.1:{LoopbackPorts.Next()}/logs");
        var sink = new HttpDecisionLogSink(Http, uri, Fast with { MaxAttempts = 2 });

        var e = await Assert.ThrowsAsync<DecisionLogUploadException>(() => sink.WriteAsync(["{}"], CancellationToken.None));

        Assert.StartsWith($"decision logs: POST {uri} failed 2 times, last: ", e.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task Logger_over_a_failing_receiver_never_fails_the_caller()
    {
        var receiver = new Receiver(int.MaxValue);
        await using var server = await LoopbackServer.StartAsync(receiver.Handle);
        var logger = new DecisionLogger([new HttpDecisionLogSink(Http, new Uri(server.BaseAddress, "logs"), Fast with { MaxAttempts = 2 })]);

        Assert.True(logger.Log(new DecisionLogEvent { DecisionId = "d", Path = "p", Timestamp = DateTimeOffset.UnixEpoch }));
        await logger.FlushAndStopAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, logger.LostEvents);
        Assert.Equal(2, receiver.Requests);
    }
}
