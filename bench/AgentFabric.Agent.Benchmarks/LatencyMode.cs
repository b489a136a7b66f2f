using System.Diagnostics;
using System.Globalization;
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
        Print("FetchX509SVID", svid);
        Print("FetchX509Bundles (baseline)", bundles);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio p50 {Percentile(svid, 0.5) / Percentile(bundles, 0.5):F2}"));

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

    internal static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        int index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    private static void Print(string name, double[] values) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name,-28} p50 {Percentile(values, 0.5),8:F1}  p90 {Percentile(values, 0.9),8:F1}  p99 {Percentile(values, 0.99),8:F1}  max {values.Max(),8:F1}"));
}
