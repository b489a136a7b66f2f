using AgentFabric.PolicyServer.Benchmarks.Envoy;
using BenchmarkDotNet.Running;

namespace AgentFabric.PolicyServer.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.PolicyServer.Benchmarks -- --filter '*' (or '*Envoy*') --job short
    // dotnet run -c Release --project bench/AgentFabric.PolicyServer.Benchmarks -- envoy-latency [count]   (p50/p99)
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "envoy-latency")
        {
            await EnvoyCheckLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
