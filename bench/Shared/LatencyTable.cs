using System.Globalization;

namespace AgentFabric.Benchmarks;

/// <summary>Percentiles of per-request timings for the benchmarks' <c>latency N</c> modes (Stopwatch samples, where
/// BenchmarkDotNet has no p99 column), printed one row per measured call.</summary>
internal static class LatencyTable
{
    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..1] of <paramref name="values"/>.</summary>
    public static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>Prints <c>name p50 p90 p99 max</c> (µs), the name padded to <paramref name="nameWidth"/>.</summary>
    public static void Print(string name, double[] values, int nameWidth)
    {
        var label = name.PadRight(nameWidth);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {label} p50 {Percentile(values, 0.5),8:F1}  p90 {Percentile(values, 0.9),8:F1}  p99 {Percentile(values, 0.99),8:F1}  max {values.Max(),8:F1}"));
    }
}
