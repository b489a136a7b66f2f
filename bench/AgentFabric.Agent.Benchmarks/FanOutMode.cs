using System.Diagnostics;
using System.Globalization;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// <c>--fanout STREAMS ROTATIONS [CONNECTIONS]</c>: opens STREAMS FetchX509SVID watches (the public client API,
/// WatchX509ContextAsync) spread over CONNECTIONS clients (one HTTP/2 connection each while the endpoint's
/// MaxStreamsPerConnection allows), then changes the entry's SVID TTL through the provider ROTATIONS times (a sync that
/// forces a new SVID) and times each change from the provider's event to the last stream holding the new SVID.
/// </summary>
internal static class FanOutMode
{
    public static async Task RunAsync(int streams, int rotations, int connections)
    {
        await using var agent = await BenchAgent.StartAsync().ConfigureAwait(false);
        var clients = Enumerable.Range(0, connections).Select(_ => agent.NewClient()).ToArray();
        using var stop = new CancellationTokenSource();
        var received = new int[streams];
        var pending = new int[rotations + 1];
        var done = Enumerable.Range(0, rotations + 1)
            .Select(_ => new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        Array.Fill(pending, streams);
        var clock = Stopwatch.StartNew();
        var watches = new Task[streams];
        for (int i = 0; i < streams; i++)
        {
            int stream = i;
            watches[i] = clients[i % connections].WatchX509ContextAsync(
                _ =>
                {
                    // Update n (0 = the first SVID) belongs to rotation n; only rotations change what is streamed.
                    int n = Interlocked.Increment(ref received[stream]) - 1;
                    if (n <= rotations && Interlocked.Decrement(ref pending[n]) == 0)
                    {
                        done[n].TrySetResult(clock.Elapsed);
                    }
                },
                error => Console.Error.WriteLine($"stream {stream}: {error.Message}"),
                stop.Token);
        }

        var opened = await done[0].Task.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{streams} streams over {connections} connection(s) open with their first SVID after {opened.TotalMilliseconds:F0} ms; open streams {agent.Endpoint.Cache.OpenStreams}"));
        await Task.Delay(500).ConfigureAwait(false);

        var times = new double[rotations];
        for (int r = 1; r <= rotations; r++)
        {
            var start = clock.Elapsed;
            agent.Provider.SetEntries(BenchAgent.Entry(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(r)));
            var last = await done[r].Task.WaitAsync(TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            times[r - 1] = (last - start).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rotation {r}: last stream after {times[r - 1]:F1} ms"));
            await Task.Delay(300).ConfigureAwait(false);
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fan-out of a new SVID to {streams} streams: min {times[0]:F1} ms, median {times[rotations / 2]:F1} ms, max {times[^1]:F1} ms; SVIDs issued {agent.Endpoint.Cache.X509Issued}"));
        await stop.CancelAsync().ConfigureAwait(false);
        foreach (var watch in watches)
        {
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
