using System.Globalization;
using BenchmarkDotNet.Running;

namespace AgentFabric.AspNetCore.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.AspNetCore.Benchmarks -- --filter '*'
    // dotnet run -c Release --project bench/AgentFabric.AspNetCore.Benchmarks -- latency [count]   (per-request p50/p99)
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "latency")
        {
            await OneHopLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
