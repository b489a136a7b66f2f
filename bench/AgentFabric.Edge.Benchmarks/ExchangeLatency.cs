using System.Diagnostics;
using System.Globalization;
using AgentFabric.Benchmarks;

namespace AgentFabric.Edge.Benchmarks;

/// <summary>
/// <c>latency N</c>: N sequential token exchanges, client-credentials grants and POSTs to the do-nothing endpoint on
/// one edge and one keep-alive connection, interleaved so machine noise hits all alike, each timed with a Stopwatch
/// after a warm-up; prints p50/p90/p99/max and the exchange's ratios to the baseline.
/// </summary>
internal static class ExchangeLatency
{
    public static async Task RunAsync(int count)
    {
        var warmUp = Math.Max(200, count / 5);
        await using var edge = await BenchEdge.StartAsync(exchanges: warmUp + count);
        for (var i = 0; i < warmUp; i++)
        {
            await edge.ExchangeAsync();
            await edge.ClientCredentialsAsync();
            await edge.NothingAsync();
        }

        var exchange = new double[count];
        var clientCredentials = new double[count];
        var nothing = new double[count];
        var wall = Stopwatch.StartNew();
        var exchangeTotal = TimeSpan.Zero;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await edge.ExchangeAsync();
            var elapsed = Stopwatch.GetElapsedTime(start);
            exchangeTotal += elapsed;
            exchange[i] = elapsed.TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            await edge.ClientCredentialsAsync();
            clientCredentials[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            await edge.NothingAsync();
            nothing[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency over {count} sequential requests each (µs), one keep-alive connection:"));
        LatencyTable.Print("token exchange + policy", exchange, 30);
        LatencyTable.Print("client credentials", clientCredentials, 30);
        LatencyTable.Print("POST doing nothing (baseline)", nothing, 30);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"exchanges/s (sequential) {count / exchangeTotal.TotalSeconds:F0}; ratio to baseline p50 {LatencyTable.Percentile(exchange, 0.5) / LatencyTable.Percentile(nothing, 0.5):F1}, p99 {LatencyTable.Percentile(exchange, 0.99) / LatencyTable.Percentile(nothing, 0.99):F1}; wall {wall.Elapsed.TotalSeconds:F1} s"));
    }
}
