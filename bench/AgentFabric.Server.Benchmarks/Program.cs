using BenchmarkDotNet.Running;

namespace AgentFabric.Server.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Server.Benchmarks -- --filter '*' --job short
    // dotnet run -c Release --project bench/AgentFabric.Server.Benchmarks -- entries [count]   (create time, memory)
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "entries")
        {
            await EntryScale.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
