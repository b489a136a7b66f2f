using System.Threading.Channels;
using AgentFabric.Spiffe.Svid.X509;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.EndToEnd.Tests.Processes;

/// <summary>An open FetchX509SVID stream that records each distinct default SVID it receives and when.</summary>
internal sealed class StreamRecorder : IAsyncDisposable
{
    private readonly Channel<(X509Svid Svid, DateTimeOffset At)> _updates = Channel.CreateUnbounded<(X509Svid, DateTimeOffset)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;
    private string? _lastSerial;

    public StreamRecorder(WorkloadApiClient client) =>
        _watch = client.WatchX509ContextAsync(c => _updates.Writer.TryWrite((c.DefaultSvid, DateTimeOffset.UtcNow)), _ => { }, _stop.Token);

    /// <summary>The next SVID whose serial differs from the last one returned.</summary>
    public async Task<(X509Svid Svid, DateTimeOffset At)> NextSvidAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var update = await _updates.Reader.ReadAsync(cts.Token);
            if (update.Svid.Leaf.SerialNumber != _lastSerial)
            {
                _lastSerial = update.Svid.Leaf.SerialNumber;
                return update;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
