using BenchmarkDotNet.Running;

namespace AgentFabric.Agent.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Agent.Benchmarks -- --filter '*' --job short
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
