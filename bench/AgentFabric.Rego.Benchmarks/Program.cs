using BenchmarkDotNet.Running;

namespace AgentFabric.Rego.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/AgentFabric.Rego.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
