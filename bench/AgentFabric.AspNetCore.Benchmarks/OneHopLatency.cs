using System.Diagnostics;
using System.Globalization;
using AgentFabric.Benchmarks;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>
/// <c>latency N</c>: the one-hop benchmark's requests timed one by one with a Stopwatch — N of each kind, interleaved
/// so machine noise hits all alike, after a warm-up — printing p50/p90/p99/max and each kind's p50 against the
/// baseline's. BenchmarkDotNet's median is a median of iteration means; this is the median request. The comparison
/// with ASP.NET Core's own JwtBearer runs as a second round against its own baseline: interleaved with the others,
/// its much longer requests would slow the request after it (the baseline's) and flatter the SDK.
/// </summary>
internal static class OneHopLatency
{
    public static async Task RunAsync(int count)
    {
        var hop = new OneHopBenchmarks();
        await hop.SetupAsync().ConfigureAwait(false);
        try
        {
            await RoundAsync(count, [
                ("TLS, server auth only, no checks", hop.PlainTls),
                ("SPIFFE mTLS only", hop.MtlsOnly),
                ("SPIFFE mTLS + exchanged token + Rego", hop.SpiffeHop),
            ]).ConfigureAwait(false);
            await RoundAsync(count, [
                ("TLS, server auth only, no checks", hop.PlainTls),
                ("for comparison: mTLS + JwtBearer + claims", hop.JwtBearerHop),
            ]).ConfigureAwait(false);
        }
        finally
        {
            await hop.CleanupAsync().ConfigureAwait(false);
        }
    }

    // The first kind is the baseline.
    private static async Task RoundAsync(int count, (string Name, Func<Task<string>> Call)[] kinds)
    {
        for (var i = 0; i < Math.Max(2_000, count / 5); i++)
        {
            foreach (var (_, call) in kinds)
            {
                await call().ConfigureAwait(false);
            }
        }

        var samples = kinds.Select(_ => new double[count]).ToArray();
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                var start = Stopwatch.GetTimestamp();
                await kinds[k].Call().ConfigureAwait(false);
                samples[k][i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency over {count} sequential requests of each kind (µs), keep-alive, interleaved:"));
        for (var k = 0; k < kinds.Length; k++)
        {
            LatencyTable.Print(kinds[k].Name, samples[k], 42);
        }

        var baseline = LatencyTable.Percentile(samples[0], 0.5);
        for (var k = 1; k < kinds.Length; k++)
        {
            var p50 = LatencyTable.Percentile(samples[k], 0.5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kinds[k].Name}: p50 {p50 - baseline:+0.0;-0.0} µs, ratio {p50 / baseline:F3}"));
        }
    }
}
