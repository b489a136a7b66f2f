using System.Diagnostics;
using System.Globalization;
using AgentFabric.Benchmarks;
using AgentFabric.Spiffe.WorkloadApi;

namespace AgentFabric.Agent.Benchmarks;

/// <summary>
/// <c>--latency N</c>: N sequential warm-cache fetches of each kind on one client connection, each timed with a
/// Stopwatch, after a warm-up in the same process (JIT, connection, SVID issued, digest cached); prints p50/p90/p99/max.
/// BenchmarkDotNet gives the ratio to the baseline; this gives the tail it does not show.
/// </summary>
internal static class LatencyMode
{
    public static async Task RunAsync(int count)
    {
        await using var agent = await BenchAgent.StartAsync().ConfigureAwait(false);
        using var client = agent.NewClient();
        var context = await client.FetchX509ContextAsync().ConfigureAwait(false);
        if (context.DefaultSvid.Id.ToString() != BenchAgent.Id)
        {
            throw new InvalidOperationException($"bad setup: {context.DefaultSvid.Id}");
        }

        for (int i = 0; i < Math.Max(500, count / 5); i++)
        {
            await client.FetchX509ContextAsync().ConfigureAwait(false);
            await client.FetchX509BundlesAsync().ConfigureAwait(false);
        }

        // Interleaved so that machine noise hits both kinds alike.
        var svid = new double[count];
        var bundles = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await client.FetchX509ContextAsync().ConfigureAwait(false);
            svid[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            await client.FetchX509BundlesAsync().ConfigureAwait(false);
            bundles[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency over {count} sequential fetches (µs), one connection, warm cache:"));
        LatencyTable.Print("FetchX509SVID", svid, 28);
        LatencyTable.Print("FetchX509Bundles (baseline)", bundles, 28);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio p50 {LatencyTable.Percentile(svid, 0.5) / LatencyTable.Percentile(bundles, 0.5):F2}"));

        // CPU time (client + agent, both in this process) per fetch: unlike wall-clock percentiles it barely moves
        // when other processes load the machine.
        double svidCpu = await CpuPerCallAsync(count, () => client.FetchX509ContextAsync()).ConfigureAwait(false);
        double bundlesCpu = await CpuPerCallAsync(count, () => client.FetchX509BundlesAsync()).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU per fetch (µs, client + agent): FetchX509SVID {svidCpu:F1}, FetchX509Bundles {bundlesCpu:F1}, ratio {svidCpu / bundlesCpu:F2}"));
    }

    private static async Task<double> CpuPerCallAsync<T>(int count, Func<Task<T>> call)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        for (int i = 0; i < count; i++)
        {
            await call().ConfigureAwait(false);
        }

        self.Refresh();
        return (self.TotalProcessorTime - before).TotalMicroseconds / count;
    }
}
