using System.Diagnostics;
using System.Globalization;
using AgentFabric.PolicyServer.Envoy;

namespace AgentFabric.PolicyServer.Benchmarks.Envoy;

/// <summary>
/// <c>envoy-latency N</c>: N sequential Checks over one gRPC channel and N in-process decisions on the same input,
/// interleaved so machine noise hits both alike, each timed with a Stopwatch after a warm-up; prints p50/p90/p99/max.
/// </summary>
internal static class EnvoyCheckLatency
{
    public static async Task RunAsync(int count)
    {
        await using var server = await EnvoyBenchServer.StartAsync().ConfigureAwait(false);
        for (var i = 0; i < Math.Max(1000, count / 5); i++)
        {
            await server.Client.CheckAsync(EnvoyBenchServer.Request);
            await server.Pdp.DecideAsync(server.Path, server.Input).ConfigureAwait(false);
        }

        var check = new double[count];
        var inProcess = new double[count];
        var inputAndDecision = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await server.Client.CheckAsync(EnvoyBenchServer.Request);
            check[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            await server.Pdp.DecideAsync(server.Path, server.Input).ConfigureAwait(false);
            inProcess[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            start = Stopwatch.GetTimestamp();
            await server.Pdp.DecideAsync(server.Path, EnvoyCheckInput.Build(EnvoyBenchServer.Request, server.Options)).ConfigureAwait(false);
            inputAndDecision[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency over {count} sequential calls (µs), one HTTP/2 channel:"));
        Print("Check over gRPC", check);
        Print("input + decision in process", inputAndDecision);
        Print("decision in process (baseline)", inProcess);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio p50 Check / in-process {Percentile(check, 0.5) / Percentile(inProcess, 0.5):F1}, p99 {Percentile(check, 0.99) / Percentile(inProcess, 0.99):F1}"));
    }

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    private static void Print(string name, double[] values) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name,-32} p50 {Percentile(values, 0.5),8:F1}  p90 {Percentile(values, 0.9),8:F1}  p99 {Percentile(values, 0.99),8:F1}  max {values.Max(),8:F1}"));
}
