using System.Globalization;
using BenchmarkDotNet.Running;

namespace AgentFabric.Edge.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Edge.Benchmarks -- --filter '*' --job short
    // dotnet run -c Release --project bench/AgentFabric.Edge.Benchmarks -- latency [count]   (per-request p50/p99)
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "latency")
        {
            await ExchangeLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
