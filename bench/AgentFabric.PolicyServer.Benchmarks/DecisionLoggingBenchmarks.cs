using AgentFabric.PolicyServer.Hosting;
using BenchmarkDotNet.Attributes;

namespace AgentFabric.PolicyServer.Benchmarks;

/// <summary>A decision through the server with decision logging off (baseline) and on with the file sink (goal:
/// under 10 % more).</summary>
[MemoryDiagnoser]
public class DecisionLoggingBenchmarks
{
    private BenchServer _off = null!;
    private BenchServer _on = null!;
    private string _file = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = Path.GetTempFileName();
        _off = BenchServer.StartAsync(new PolicyServerOptions()).GetAwaiter().GetResult();
        _on = BenchServer.StartAsync(new PolicyServerOptions { DecisionLogFile = _file }).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _off.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _on.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"// decision log: {new FileInfo(_file).Length} bytes, dropped {_on.Runtime.DecisionLogger?.DroppedEvents}");
        File.Delete(_file);
    }

    [Benchmark(Baseline = true)]
    public Task<string> LoggingOff() => _off.DecideAsync();

    [Benchmark]
    public Task<string> LoggingOnFile() => _on.DecideAsync();
}
