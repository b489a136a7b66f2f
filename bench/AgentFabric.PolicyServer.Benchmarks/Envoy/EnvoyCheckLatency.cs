using System.Diagnostics;
using System.Globalization;
using AgentFabric.Benchmarks;
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
        LatencyTable.Print("Check over gRPC", check, 32);
        LatencyTable.Print("input + decision in process", inputAndDecision, 32);
        LatencyTable.Print("decision in process (baseline)", inProcess, 32);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio p50 Check / in-process {LatencyTable.Percentile(check, 0.5) / LatencyTable.Percentile(inProcess, 0.5):F1}, p99 {LatencyTable.Percentile(check, 0.99) / LatencyTable.Percentile(inProcess, 0.99):F1}"));
    }
}
