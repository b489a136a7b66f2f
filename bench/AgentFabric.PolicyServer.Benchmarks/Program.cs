using BenchmarkDotNet.Running;

namespace AgentFabric.PolicyServer.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.PolicyServer.Benchmarks -- --filter '*' --job short
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
