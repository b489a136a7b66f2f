using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentFabric.Authorization.DecisionLogs;

/// <summary>Takes decision-log events off the request path: <see cref="Log"/> only tries to put the event in a bounded
/// buffer (dropping and counting it when full) and returns; a background loop masks events, batches them and hands
/// each batch to every sink. A failing or slow sink never fails or slows a decision.</summary>
public sealed class DecisionLogger : IAsyncDisposable
{
    private readonly Channel<DecisionLogEvent> _buffer;
    private readonly IReadOnlyList<IDecisionLogSink> _sinks;
    private readonly DecisionLogMasker? _masker;
    private readonly DecisionLoggerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _dropped;
    private long _written;
    private long _lost;

    /// <summary>A logger writing to <paramref name="sinks"/>, masking with <paramref name="masker"/> when given.</summary>
    public DecisionLogger(IEnumerable<IDecisionLogSink> sinks, DecisionLogMasker? masker = null, DecisionLoggerOptions? options = null, ILogger<DecisionLogger>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = sinks.ToArray();
        _masker = masker;
        _options = options ?? new DecisionLoggerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxBatchSize, 1);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _buffer = Channel.CreateBounded<DecisionLogEvent>(new BoundedChannelOptions(_options.BufferSize)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full buffer refuses, and the refusal is counted
            SingleReader = true,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Events dropped because the buffer was full.</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Events every sink accepted.</summary>
    public long WrittenEvents => Interlocked.Read(ref _written);

    /// <summary>Events lost because a sink failed (counted once per sink).</summary>
    public long LostEvents => Interlocked.Read(ref _lost);

    /// <summary>The labels added to every event.</summary>
    public IReadOnlyDictionary<string, string> Labels => _options.Labels;

    /// <summary>Queues an event; false (and counted) when the buffer is full or the logger is stopping. Never blocks,
    /// never throws.</summary>
    public bool Log(DecisionLogEvent e)
    {
        if (e is not null && _buffer.Writer.TryWrite(e))
        {
            return true;
        }

        var dropped = Interlocked.Increment(ref _dropped);
        if ((dropped & (dropped - 1)) == 0)
        {
            // 1, 2, 4, 8...: the log says the buffer overflows without one line per dropped event.
            DecisionLogLog.Dropped(_logger, dropped);
        }

        return false;
    }

    /// <summary>Stops taking events, writes what is buffered, and waits for the loop (at most <paramref name="timeout"/>).</summary>
    public async Task FlushAndStopAsync(TimeSpan timeout)
    {
        _buffer.Writer.TryComplete();
        if (await Task.WhenAny(_loop, Task.Delay(timeout, _time)).ConfigureAwait(false) != _loop)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await FlushAndStopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _buffer.Reader;
        var batch = new List<string>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var e))
                {
                    batch.Add((_masker?.Apply(e) ?? e).ToJson());
                }

                await WriteAsync(batch).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with events still buffered: they are lost, as on a crash.
        }
    }

    private async Task WriteAsync(List<string> batch)
    {
        var allWritten = true;
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.WriteAsync(batch, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
            {
                // Any sink failure is contained here: the loop goes on with the next batch.
                allWritten = false;
                Interlocked.Add(ref _lost, batch.Count);
                DecisionLogLog.SinkFailed(_logger, sink.GetType().Name, batch.Count, e);
            }
        }

        if (allWritten)
        {
            Interlocked.Add(ref _written, batch.Count);
        }
    }
}
