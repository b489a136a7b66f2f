using System.Globalization;
using BenchmarkDotNet.Running;

namespace AgentFabric.Agent.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Agent.Benchmarks -- --filter '*' --job short
    // dotnet run -c Release --project bench/AgentFabric.Agent.Benchmarks -- --latency 5000
    // dotnet run -c Release --project bench/AgentFabric.Agent.Benchmarks -- --fanout 1000 7 [connections]
    // dotnet run -c Release --project bench/AgentFabric.Agent.Benchmarks -- --memory 10000
    public static async Task Main(string[] args)
    {
        if (args is ["--latency", var n])
        {
            await LatencyMode.RunAsync(int.Parse(n, CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return;
        }

        if (args is ["--fanout", var streams, var rotations, .. var rest])
        {
            int connections = rest is [var c] ? int.Parse(c, CultureInfo.InvariantCulture) : 1;
            await FanOutMode.RunAsync(int.Parse(streams, CultureInfo.InvariantCulture), int.Parse(rotations, CultureInfo.InvariantCulture), connections)
                .ConfigureAwait(false);
            return;
        }

        if (args is ["--memory", var count])
        {
            await CacheMemoryMode.RunAsync(int.Parse(count, CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
