using BenchmarkDotNet.Configs;

namespace AgentFabric.AspNetCore.Benchmarks;

/// <summary>The default configuration with a longer build timeout: on a loaded build machine the generated project's
/// build takes longer than the default two minutes.</summary>
internal sealed class SlowMachineConfig : ManualConfig
{
    public SlowMachineConfig()
    {
        BuildTimeout = TimeSpan.FromMinutes(10);
    }
}
