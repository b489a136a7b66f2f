using BenchmarkDotNet.Running;

namespace AgentFabric.AspNetCore.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.AspNetCore.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
