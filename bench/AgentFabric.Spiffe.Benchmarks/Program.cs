using BenchmarkDotNet.Running;

namespace AgentFabric.Spiffe.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Spiffe.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
